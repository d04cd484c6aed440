#include "core/annotate/pca.hpp"

#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>

#include "core/util/error.hpp"
#include "core/util/rng.hpp"

namespace scpt {
namespace {

using Mat = Eigen::MatrixXd;

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

Mat orthonormal(const Mat& m) {
    Eigen::HouseholderQR<Mat> qr(m);
    return qr.householderQ() * Mat::Identity(m.rows(), m.cols());
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
    for (int j = 0; j < l; ++j)
        for (int64_t g = 0; g < x.n_genes; ++g) omega(g, j) = rng.normal();

    Mat q = orthonormal(times(x, mu, omega));
    for (int it = 0; it < opt.power_iters; ++it) {
        control.check_cancel();
        control.report({"pca", double(it) / opt.power_iters, "PCA iteration " + std::to_string(it + 1), 0});
        Mat z = orthonormal(times_transposed(x, mu, q));
        q = orthonormal(times(x, mu, z));
    }
    // B = Q^T A (l x genes); its SVD gives the leading singular triplets of A.
    Mat bt = times_transposed(x, mu, q);  // genes x l = B^T
    Eigen::JacobiSVD<Mat> svd(bt, Eigen::ComputeThinU | Eigen::ComputeThinV);
    // A ~ Q B = Q V S U^T  (B^T = U S V^T), so scores = A * U = Q V S.
    Mat scores = q * svd.matrixV().leftCols(k) * svd.singularValues().head(k).asDiagonal();
    // Fix signs so the result does not depend on the SVD routine's conventions.
    for (int j = 0; j < k; ++j) {
        Eigen::Index at;
        scores.col(j).cwiseAbs().maxCoeff(&at);
        if (scores(at, j) < 0) scores.col(j) *= -1;
    }
    PcaResult r;
    r.scores = scores.cast<float>();
    r.variance = (svd.singularValues().head(k).array().square() / double(x.n_cells - 1)).matrix().cast<float>();
    return r;
}

}  // namespace scpt
