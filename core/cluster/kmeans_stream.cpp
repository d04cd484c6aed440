#include "core/cluster/kmeans_stream.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/cluster/kmeans_points.hpp"
#include "core/util/denormals.hpp"
#include "core/util/parallel.hpp"
#include "core/util/rng.hpp"

namespace scpt::cluster {
namespace {

using namespace detail;

// The sampled points, in point order, as one in-memory matrix (sparse or dense like the source).
struct Sample {
    std::vector<int64_t> indptr{0};
    std::vector<int32_t> indices;
    std::vector<float> values;
    nn::Matrix dense;
    bool is_dense = false;
};

Sample gather(PointChunks& src, const std::vector<int64_t>& rows) {
    Sample s;
    const int64_t n = src.rows(), step = src.chunk_rows(), d = src.dims();
    size_t next = 0;
    for (int64_t first = 0; first < n && next < rows.size(); first += step) {
        const int64_t count = std::min(step, n - first);
        if (rows[next] >= first + count) continue;
        const auto ch = src.read(first, count);
        if (ch.dense && s.dense.rows() == 0) {
            s.is_dense = true;
            s.dense.resize(int64_t(rows.size()), d);
        }
        for (; next < rows.size() && rows[next] < first + count; ++next) {
            const int64_t r = rows[next] - first;
            if (ch.dense) {
                s.dense.row(int64_t(next)) = ch.dense->row(r);
                continue;
            }
            for (int64_t k = ch.sparse.indptr[r]; k < ch.sparse.indptr[r + 1]; ++k) {
                s.indices.push_back(ch.sparse.indices[k]);
                s.values.push_back(ch.sparse.values[k]);
            }
            s.indptr.push_back(int64_t(s.values.size()));
        }
    }
    return s;
}

class StreamLloyd {
public:
    StreamLloyd(PointChunks& src, const KmeansOptions& o, const RunControl& rc)
        : src_(src), o_(o), rc_(rc), n_(src.rows()), d_(src.dims()), k_(o.k), kp_(round16(o.k)) {}

    KmeansResult run(const nn::Matrix& seeds) {
        ct_.assign(size_t(d_ * kp_), 0.f);
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c) ct_[size_t(g * kp_ + c)] = seeds(c, g);
        centre_norms();
        KmeansResult res;
        labels_.assign(size_t(n_), -1);
        dist_.assign(size_t(n_), 0.0);
        double prev = 0;
        for (int it = 0;; ++it) {
            rc_.check_cancel();
            const int64_t changes = pass(true);
            double inertia = 0;
            for (double v : dist_) inertia += v;
            res.inertia = inertia;
            res.iterations = it;
            const bool converged = it > 0 && (changes == 0 || prev - inertia <= o_.tol * prev);
            if (converged || it >= o_.max_iters) break;
            prev = inertia;
            update();
            rc_.report({"kmeans", double(it + 1) / double(o_.max_iters), "k-means iteration " + std::to_string(it + 1), inertia});
        }
        res.centers.resize(k_, d_);
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c) res.centers(c, g) = ct_[size_t(g * kp_ + c)];
        res.sizes.assign(size_t(k_), 0);
        for (int32_t l : labels_) ++res.sizes[size_t(l)];
        res.labels = std::move(labels_);
        return res;
    }

private:
    void centre_norms() {
        cnorm_.assign(size_t(k_), 0.0);
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c) cnorm_[size_t(c)] += double(ct_[size_t(g * kp_ + c)]) * ct_[size_t(g * kp_ + c)];
    }

    // One pass over the chunks: (assign) nearest centres, then the centre sums of the labels.
    int64_t pass(bool assign) {
        sums_.assign(size_t(d_ * k_), 0.0);
        int64_t changed = 0;
        const int64_t step = src_.chunk_rows();
        for (int64_t first = 0; first < n_; first += step) {
            const int64_t count = std::min(step, n_ - first);
            const auto ch = src_.read(first, count);
            if (ch.dense) {
                DensePoints p{ch.dense->data(), count, d_};
                changed += visit(p, first, assign);
            } else {
                SparsePoints p(ch.sparse);
                changed += visit(p, first, assign);
            }
        }
        return changed;
    }

    template <class P>
    int64_t visit(const P& p, int64_t first, bool assign) {
        const int64_t m = p.n();
        std::vector<int64_t> changed(size_t(parallel_chunk_count(m, rc_.threads)), 0);
        if (assign)
            parallel_chunks(m, rc_.threads, [&](int64_t b, int64_t e, int chunk) {
                std::vector<float> acc(static_cast<size_t>(kp_));
                for (int64_t i = b; i < e; ++i) {
                    double xn = 0;
                    p.row(i, [&](int64_t, float v) { xn += double(v) * v; });
                    row_dots(p, i, ct_.data(), kp_, k_, acc.data());
                    int32_t bl = 0;
                    double bd = 0;
                    for (int64_t c = 0; c < k_; ++c) {
                        const double dist = cnorm_[size_t(c)] - 2.0 * double(acc[size_t(c)]);
                        if (c == 0 || dist < bd) {
                            bd = dist;
                            bl = int32_t(c);
                        }
                    }
                    const size_t at = size_t(first + i);
                    dist_[at] = std::max(0.0, bd + xn);
                    if (labels_[at] != bl) ++changed[size_t(chunk)];
                    labels_[at] = bl;
                }
            });
        parallel_chunks(d_, rc_.threads, [&](int64_t g0, int64_t g1, int) {
            for (int64_t g = g0; g < g1; ++g) {
                double* s = sums_.data() + g * k_;
                p.col(g, [&](int64_t i, float v) { s[labels_[size_t(first + i)]] += v; });
            }
        });
        return std::accumulate(changed.begin(), changed.end(), int64_t(0));
    }

    // kmeans.cpp's update: an empty cluster takes the farthest point (then the sums are taken
    // again, in a second pass, so they stay in point order), centres = means.
    void update() {
        std::vector<int64_t> count(size_t(k_), 0);
        for (int32_t l : labels_) ++count[size_t(l)];
        std::vector<int64_t> empty;
        for (int64_t c = 0; c < k_; ++c)
            if (count[size_t(c)] == 0) empty.push_back(c);
        bool moved = false;
        if (!empty.empty()) {
            std::vector<int64_t> order(static_cast<size_t>(n_));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return dist_[size_t(a)] > dist_[size_t(b)]; });
            size_t next = 0;
            for (int64_t e : empty) {
                while (next < order.size() && count[size_t(labels_[size_t(order[next])])] <= 1) ++next;
                if (next == order.size()) break;
                const int64_t i = order[next++];
                --count[size_t(labels_[size_t(i)])];
                labels_[size_t(i)] = int32_t(e);
                count[size_t(e)] = 1;
                dist_[size_t(i)] = 0;
                moved = true;
            }
        }
        if (moved) pass(false);
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c)
                if (count[size_t(c)] > 0) ct_[size_t(g * kp_ + c)] = float(sums_[size_t(g * k_ + c)] / double(count[size_t(c)]));
        centre_norms();
    }

    PointChunks& src_;
    KmeansOptions o_;
    const RunControl& rc_;
    int64_t n_, d_, k_, kp_;
    std::vector<int32_t> labels_;
    std::vector<double> dist_, cnorm_, sums_;
    std::vector<float> ct_;
};

KmeansResult one_run(PointChunks& src, const StreamKmeansOptions& so, const KmeansOptions& o, const RunControl& rc) {
    const int64_t n = src.rows();
    const int64_t m = std::min(n, std::max<int64_t>(so.seed_sample > 0 ? so.seed_sample : src.chunk_rows(), o.k));
    std::vector<int64_t> rows(static_cast<size_t>(n));
    std::iota(rows.begin(), rows.end(), int64_t(0));
    if (m < n) {
        Rng(o.seed).split(0x5a3d).shuffle(rows);
        rows.resize(size_t(m));
        std::sort(rows.begin(), rows.end());
    }
    Sample s = gather(src, rows);
    rows = {};
    KmeansOptions seeding = o;
    seeding.max_iters = 0;  // k-means++ only: kmeans() returns its seeds as the centres
    seeding.n_init = 1;
    nn::Matrix seeds;
    if (s.is_dense) {
        seeds = kmeans(s.dense, seeding, rc).centers;
    } else {
        nn::CsrRef x{m, src.dims(), s.indptr.data(), s.indices.data(), s.values.data()};
        seeds = kmeans(x, seeding, rc).centers;
    }
    s = Sample();
    return StreamLloyd(src, o, rc).run(seeds);
}

}  // namespace

KmeansResult kmeans_streamed(PointChunks& src, const StreamKmeansOptions& so, const RunControl& rc) {
    const KmeansOptions& options = so.kmeans;
    const int64_t n = src.rows();
    if (src.chunk_rows() < 1) throw std::invalid_argument("kmeans_streamed: chunks must hold at least one point");
    if (options.k < 1 || options.k > n)
        throw std::invalid_argument("kmeans: k = " + std::to_string(options.k) + " must be between 1 and the " +
                                    std::to_string(n) + " points");
    if (options.max_iters < 0 || options.n_init < 1) throw std::invalid_argument("kmeans: max_iters >= 0 and n_init >= 1");
    if (n <= src.chunk_rows()) {  // one chunk: the in-memory algorithm itself
        const auto ch = src.read(0, n);
        return ch.dense ? kmeans(*ch.dense, options, rc) : kmeans(ch.sparse, options, rc);
    }
    FlushDenormals ftz;
    KmeansResult best;
    for (int r = 0; r < options.n_init; ++r) {
        KmeansOptions o = options;
        if (r > 0) o.seed = Rng(options.seed).split(uint64_t(r)).next_u64();
        KmeansResult res = one_run(src, so, o, rc);
        if (r == 0 || res.inertia < best.inertia) best = std::move(res);
    }
    return best;
}

}  // namespace scpt::cluster
