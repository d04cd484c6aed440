#include "core/layout/cell_map.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "core/layout/rp_forest.hpp"
#include "core/util/error.hpp"
#include "core/util/parallel.hpp"
#include "core/util/rng.hpp"

namespace scpt {
namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Principal axes estimated on the sampled rows, applied to every row.
RowMat project(const float* x, int64_t n, int d, const std::vector<int64_t>& sample, int dims, const RunControl& control) {
    Eigen::MatrixXd s(sample.size(), d);
    for (size_t i = 0; i < sample.size(); ++i)
        for (int j = 0; j < d; ++j) s(Eigen::Index(i), j) = x[sample[i] * d + j];
    Eigen::RowVectorXd mean = s.colwise().mean();
    s.rowwise() -= mean;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es((s.transpose() * s) / double(std::max<size_t>(1, sample.size() - 1)));
    const int k = std::min(dims, d);
    Eigen::MatrixXf axes(d, k);
    for (int c = 0; c < k; ++c) {
        Eigen::VectorXd v = es.eigenvectors().col(d - 1 - c);
        Eigen::Index at;
        v.cwiseAbs().maxCoeff(&at);
        axes.col(c) = (v[at] < 0 ? -v : v).cast<float>();
    }
    Eigen::RowVectorXf mu = mean.cast<float>();
    RowMat out(n, k);
    // Row by row: a blocked GEMM's rounding would depend on the chunk, hence on the thread count,
    // and UMAP amplifies such differences into a different map.
    parallel_chunks(n, control.threads, [&](int64_t b, int64_t e, int) {
        Eigen::RowVectorXf centred(d);
        for (int64_t i = b; i < e; ++i) {
            centred = Eigen::Map<const Eigen::RowVectorXf>(x + i * d, d) - mu;
            for (int c = 0; c < k; ++c) out(i, c) = centred.dot(axes.col(c));
        }
    });
    return out;
}

}  // namespace

CellMap cell_map(const float* x, int64_t n, int d, const CellMapOptions& opt, const RunControl& control) {
    if (n < 3) throw InputError("a map needs at least 3 cells");
    if (opt.max_layout_cells < 3) throw InputError("max_layout_cells must be at least 3");
    Rng rng(opt.seed);
    std::vector<int64_t> sample;
    std::vector<uint8_t> in_sample(size_t(n), 0);
    if (n <= opt.max_layout_cells) {
        sample.resize(size_t(n));
        for (int64_t i = 0; i < n; ++i) sample[size_t(i)] = i;
    } else {
        // Selection sampling (Knuth's algorithm S): a uniform sample, in cell order.
        int64_t need = opt.max_layout_cells;
        for (int64_t i = 0; i < n && need > 0; ++i)
            if (rng.below(uint64_t(n - i)) < uint64_t(need)) {
                sample.push_back(i);
                --need;
            }
    }
    for (int64_t i : sample) in_sample[size_t(i)] = 1;

    control.report({"layout", 0.0, "reducing dimensions", 0});
    RowMat z = project(x, n, d, sample, opt.pca_dims, control);
    const int k = int(z.cols());
    RowMat zs(int64_t(sample.size()), k);
    for (size_t i = 0; i < sample.size(); ++i) zs.row(Eigen::Index(i)) = z.row(sample[i]);

    UmapOptions uo = opt.umap;
    uo.seed = opt.seed;
    std::vector<float> ys = umap_layout(zs.data(), int64_t(sample.size()), k, uo, control);

    CellMap out;
    out.xy.assign(size_t(n * 2), 0.f);
    out.laid_out = in_sample;
    for (size_t i = 0; i < sample.size(); ++i) {
        out.xy[size_t(sample[i] * 2)] = ys[i * 2];
        out.xy[size_t(sample[i] * 2 + 1)] = ys[i * 2 + 1];
    }
    if (int64_t(sample.size()) == n) return out;

    control.report({"layout", 0.95, "placing the other cells", 0});
    RpForest forest(zs.data(), int64_t(sample.size()), k, 4, 32, opt.seed ^ 0x5eedull);
    const int m = std::max(1, opt.place_neighbours);
    parallel_chunks(n, control.threads, [&](int64_t b, int64_t e, int) {
        std::vector<std::pair<float, int32_t>> cand;
        for (int64_t i = b; i < e; ++i) {
            if (in_sample[size_t(i)]) continue;
            if ((i & 4095) == 0) control.check_cancel();
            const float* p = z.row(i).data();
            cand.clear();
            for (int t = 0; t < forest.tree_count(); ++t)
                for (int32_t j : forest.leaf_of(t, p)) {
                    float s = (zs.row(j) - z.row(i)).squaredNorm();
                    cand.emplace_back(s, j);
                }
            std::sort(cand.begin(), cand.end());
            cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
            double wx = 0, wy = 0, wsum = 0;
            for (int c = 0; c < m && c < int(cand.size()); ++c) {
                double w = 1.0 / (std::sqrt(double(cand[size_t(c)].first)) + 1e-3);
                wx += w * ys[size_t(cand[size_t(c)].second) * 2];
                wy += w * ys[size_t(cand[size_t(c)].second) * 2 + 1];
                wsum += w;
            }
            out.xy[size_t(i * 2)] = float(wx / wsum);
            out.xy[size_t(i * 2 + 1)] = float(wy / wsum);
        }
    });
    return out;
}

}  // namespace scpt
