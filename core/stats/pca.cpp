#include "core/stats/pca.hpp"

#include <Eigen/QR>
#include <Eigen/Eigenvalues>
#include <algorithm>

#include "core/util/error.hpp"
#include "core/util/rng.hpp"

namespace scpt {
namespace {

// Row-major throughout: a stored value of gene g touches row g of a genes x k matrix, which must
// be contiguous (a column-major one strides by the gene count on every access).
using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// (X - 1 mu^T) * B for X sparse cells x genes, B genes x k.
Mat times(const CellMatrix& x, const Eigen::VectorXd& mu, const Mat& b) {
    Mat out(x.n_cells, b.cols());
    Eigen::RowVectorXd shift = mu.transpose() * b;
    for (int64_t c = 0; c < x.n_cells; ++c) {
        Eigen::RowVectorXd acc = -shift;
        for (int64_t k = x.indptr[size_t(c)]; k < x.indptr[size_t(c) + 1]; ++k)
            acc.noalias() += double(x.values[size_t(k)]) * b.row(x.indices[size_t(k)]);
        out.row(c) = acc;
    }
    return out;
}

// (X - 1 mu^T)^T * A for A cells x k.
Mat times_transposed(const CellMatrix& x, const Eigen::VectorXd& mu, const Mat& a) {
    Mat out = Mat::Zero(x.n_genes, a.cols());
    for (int64_t c = 0; c < x.n_cells; ++c)
        for (int64_t k = x.indptr[size_t(c)]; k < x.indptr[size_t(c) + 1]; ++k)
            out.row(x.indices[size_t(k)]).noalias() += double(x.values[size_t(k)]) * a.row(c);
    out.noalias() -= mu * a.colwise().sum();
    return out;
}

// An orthonormal basis of the columns of a cells x l matrix (small: l is ~ components).
Mat orthonormal(const Mat& m) {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(m);
    return qr.householderQ() * Eigen::MatrixXd::Identity(m.rows(), m.cols());
}

}  // namespace

PcaResult pca(const CellMatrix& x, const PcaOptions& opt, const RunControl& control) {
    if (x.n_cells < 3 || x.n_genes < 2) throw InputError("PCA needs at least 3 cells and 2 genes");
    const int k = int(std::min<int64_t>(opt.components, std::min(x.n_cells, x.n_genes) - 1));
    if (k < 1) throw InputError("PCA: the number of components must be at least 1");
    const int l = int(std::min<int64_t>(k + opt.oversample, std::min(x.n_cells, x.n_genes)));

    Eigen::VectorXd mu = Eigen::VectorXd::Zero(x.n_genes);
    for (size_t i = 0; i < x.values.size(); ++i) mu[x.indices[i]] += x.values[i];
    mu /= double(x.n_cells);

    Rng rng(opt.seed);
    Mat omega(x.n_genes, l);
    for (int64_t g = 0; g < x.n_genes; ++g)
        for (int j = 0; j < l; ++j) omega(g, j) = rng.normal();

    // Subspace iteration on the cells' side (cells x l, small), orthonormalised at each step.
    Mat q = orthonormal(times(x, mu, omega));
    for (int it = 0; it < opt.power_iters; ++it) {
        control.check_cancel();
        control.report({"pca", double(it) / opt.power_iters, "PCA iteration " + std::to_string(it + 1), 0});
        q = orthonormal(times(x, mu, times_transposed(x, mu, q)));
    }
    // B = Q^T A (l x genes). B B^T = U S^2 U^T gives A ~ Q U S V^T with V = B^T U S^-1.
    const Mat bt = times_transposed(x, mu, q);  // genes x l = B^T
    const Eigen::MatrixXd gram = bt.transpose() * bt;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
    Eigen::MatrixXd u(l, k);
    Eigen::VectorXd sv(k);
    for (int j = 0; j < k; ++j) {  // eigenvalues come ascending
        u.col(j) = eig.eigenvectors().col(l - 1 - j);
        sv[j] = std::sqrt(std::max(0.0, eig.eigenvalues()[l - 1 - j]));
    }
    Mat scores = q * u * sv.asDiagonal();
    Mat loadings = bt * u;
    for (int j = 0; j < k; ++j) loadings.col(j) *= sv[j] > 1e-12 * std::max(1.0, sv[0]) ? 1.0 / sv[j] : 0.0;
    // Fix signs so the result does not depend on the eigen solver's conventions.
    for (int j = 0; j < k; ++j) {
        Eigen::Index at;
        scores.col(j).cwiseAbs().maxCoeff(&at);
        if (scores(at, j) < 0) {
            scores.col(j) *= -1;
            loadings.col(j) *= -1;
        }
    }
    PcaResult r;
    r.scores = scores.cast<float>();
    r.loadings = loadings.cast<float>();
    r.mean = mu.cast<float>();
    r.variance = (sv.array().square() / double(x.n_cells - 1)).matrix().cast<float>();
    return r;
}

Eigen::MatrixXf pca_project(const PcaResult& p, const CellMatrix& x) {
    if (x.n_genes != p.loadings.rows()) throw Error("pca_project: the cells have other genes than the fit");
    const Eigen::RowVectorXf shift = p.mean.transpose() * p.loadings;
    Eigen::MatrixXf out(x.n_cells, p.loadings.cols());
    // Row by row, so a cell's scores do not depend on which other cells are projected with it.
    for (int64_t c = 0; c < x.n_cells; ++c) {
        Eigen::RowVectorXf acc = -shift;
        for (int64_t k = x.indptr[size_t(c)]; k < x.indptr[size_t(c) + 1]; ++k)
            acc.noalias() += x.values[size_t(k)] * p.loadings.row(x.indices[size_t(k)]);
        out.row(c) = acc;
    }
    return out;
}

}  // namespace scpt
