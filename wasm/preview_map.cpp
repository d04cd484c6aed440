#include "wasm/preview_map.hpp"

#include <Eigen/Dense>

#include <cmath>

#include "core/util/parallel.hpp"
#include "core/util/rng.hpp"

namespace scpt::wasm {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<float> preview_map(const CellMatrix& m, const PreviewMapOptions& opt, const RunControl& rc) {
    const int64_t n = m.n_cells, g = m.n_genes;
    const int k = std::max(2, std::min<int>(opt.rank, int(std::min<int64_t>(n, g))));
    std::vector<float> xy(size_t(2 * n), 0.0f);
    if (n < 2 || g < 2) return xy;

    std::vector<float> v(m.values);
    if (opt.log1p)
        for (float& x : v) x = std::log1p(std::max(x, 0.0f));
    Eigen::VectorXf mu = Eigen::VectorXf::Zero(g);
    for (size_t i = 0; i < v.size(); ++i) mu[m.indices[i]] += v[i];
    mu /= float(n);

    Rng rng(opt.seed);
    RowMat q(g, k), z(n, k), t(g, k);
    for (int64_t i = 0; i < g; ++i)
        for (int j = 0; j < k; ++j) q(i, j) = float(rng.normal());

    auto times_q = [&] {  // z = (X - 1 mu^T) q, rows split across threads
        Eigen::RowVectorXf muq = mu.transpose() * q;
        parallel_chunks(n, rc.threads, [&](int64_t b, int64_t e, int) {
            for (int64_t c = b; c < e; ++c) {
                auto row = z.row(c);
                row = -muq;
                for (int64_t p = m.indptr[size_t(c)]; p < m.indptr[size_t(c) + 1]; ++p)
                    row += v[size_t(p)] * q.row(m.indices[size_t(p)]);
            }
        });
    };
    for (int it = 0; it < opt.iterations; ++it) {
        rc.check_cancel();
        rc.report({"map", double(it) / opt.iterations, "preview map: iteration " + std::to_string(it + 1), 0});
        times_q();
        // t = (X - 1 mu^T)^T z: a scatter by gene, kept serial for a fixed summation order.
        t = -mu * z.colwise().sum();
        for (int64_t c = 0; c < n; ++c)
            for (int64_t p = m.indptr[size_t(c)]; p < m.indptr[size_t(c) + 1]; ++p)
                t.row(m.indices[size_t(p)]) += v[size_t(p)] * z.row(c);
        Eigen::HouseholderQR<Eigen::MatrixXf> qr(t);
        q = qr.householderQ() * Eigen::MatrixXf::Identity(g, k);
    }
    times_q();
    Eigen::MatrixXf gram = (z.transpose() * z).cast<float>();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXf> eig(gram);
    for (int d = 0; d < 2; ++d) {
        Eigen::VectorXf dir = eig.eigenvectors().col(k - 1 - d);  // ascending eigenvalues
        Eigen::VectorXf coord = z * dir;
        Eigen::Index at;
        coord.cwiseAbs().maxCoeff(&at);
        if (coord[at] < 0) coord = -coord;  // a fixed sign: the same picture every run
        for (int64_t c = 0; c < n; ++c) xy[size_t(2 * c + d)] = coord[c];
    }
    rc.report({"map", 1.0, "preview map done", 0});
    return xy;
}

}  // namespace scpt::wasm
