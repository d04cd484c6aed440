#include "core/cluster/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/util/parallel.hpp"
#include "core/util/rng.hpp"

namespace scpt::cluster {
namespace {

// Sparse points: rows for distances, a column-major copy for per-dimension centre sums.
struct SparsePoints {
    nn::CsrRef x;
    std::vector<int64_t> cptr;
    std::vector<int32_t> cidx;
    std::vector<float> cval;

    explicit SparsePoints(const nn::CsrRef& m) : x(m) {
        cptr.assign(size_t(m.cols) + 1, 0);
        const int64_t nnz = m.indptr[m.rows];
        for (int64_t k = 0; k < nnz; ++k) ++cptr[size_t(m.indices[k]) + 1];
        for (int64_t g = 0; g < m.cols; ++g) cptr[size_t(g) + 1] += cptr[size_t(g)];
        cidx.resize(size_t(nnz));
        cval.resize(size_t(nnz));
        std::vector<int64_t> cur(cptr.begin(), cptr.end() - 1);
        for (int64_t i = 0; i < m.rows; ++i)
            for (int64_t k = m.indptr[i]; k < m.indptr[i + 1]; ++k) {
                int64_t p = cur[size_t(m.indices[k])]++;
                cidx[size_t(p)] = int32_t(i);
                cval[size_t(p)] = m.values[k];
            }
    }
    int64_t n() const { return x.rows; }
    int64_t d() const { return x.cols; }
    template <class F>
    void row(int64_t i, F&& f) const {
        for (int64_t k = x.indptr[i]; k < x.indptr[i + 1]; ++k) f(int64_t(x.indices[k]), x.values[k]);
    }
    template <class F>
    void col(int64_t g, F&& f) const {
        for (int64_t k = cptr[size_t(g)]; k < cptr[size_t(g) + 1]; ++k) f(int64_t(cidx[size_t(k)]), cval[size_t(k)]);
    }
};

struct DensePoints {
    const float* x;
    int64_t rows, cols;
    int64_t n() const { return rows; }
    int64_t d() const { return cols; }
    template <class F>
    void row(int64_t i, F&& f) const {
        const float* r = x + i * cols;
        for (int64_t g = 0; g < cols; ++g) f(g, r[g]);
    }
    template <class F>
    void col(int64_t g, F&& f) const {
        for (int64_t i = 0; i < rows; ++i) f(i, x[i * cols + g]);
    }
};

inline void axpy(float* __restrict y, const float* __restrict x, float a, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

template <class P>
class Lloyd {
public:
    Lloyd(const P& pts, const KmeansOptions& o, const RunControl& rc)
        : p_(pts), o_(o), rc_(rc), n_(pts.n()), d_(pts.d()), k_(o.k) {}

    KmeansResult run() {
        xnorm_.resize(size_t(n_));
        parallel_chunks(n_, rc_.threads, [&](int64_t b, int64_t e, int) {
            for (int64_t i = b; i < e; ++i) {
                double s = 0;
                p_.row(i, [&](int64_t, float v) { s += double(v) * v; });
                xnorm_[size_t(i)] = s;
            }
        });
        seed_centres();
        KmeansResult res;
        res.labels.assign(size_t(n_), -1);
        dist_.resize(size_t(n_));
        double prev = 0;
        for (int it = 0;; ++it) {
            rc_.check_cancel();
            int64_t changes = assign(res.labels);
            double inertia = 0;
            for (double v : dist_) inertia += v;
            res.inertia = inertia;
            res.iterations = it;
            bool converged = it > 0 && (changes == 0 || prev - inertia <= o_.tol * prev);
            if (converged || it >= o_.max_iters) break;
            prev = inertia;
            update(res.labels);
            rc_.report({"kmeans", double(it + 1) / double(o_.max_iters),
                        "k-means iteration " + std::to_string(it + 1), inertia});
        }
        res.centers.resize(k_, d_);
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c) res.centers(c, g) = ct_[size_t(g * k_ + c)];
        res.sizes.assign(size_t(k_), 0);
        for (int32_t l : res.labels) ++res.sizes[size_t(l)];
        return res;
    }

private:
    // Squared distance of every point to point `c`, into out[] (double; clamped at 0).
    void distances_to_point(int64_t c, std::vector<double>& out, std::vector<float>& buf) const {
        p_.row(c, [&](int64_t g, float v) { buf[size_t(g)] = v; });
        const double cn = xnorm_[size_t(c)];
        parallel_chunks(n_, rc_.threads, [&](int64_t b, int64_t e, int) {
            for (int64_t i = b; i < e; ++i) {
                double dot = 0;
                p_.row(i, [&](int64_t g, float v) { dot += double(v) * buf[size_t(g)]; });
                out[size_t(i)] = i == c ? 0.0 : std::max(0.0, xnorm_[size_t(i)] + cn - 2 * dot);
            }
        });
        p_.row(c, [&](int64_t g, float) { buf[size_t(g)] = 0.f; });
    }

    // Greedy k-means++ (Arthur & Vassilvitskii; the several-candidates variant of scikit-learn):
    // each new centre is the best of `trials` points drawn with probability ~ D(x)^2.
    void seed_centres() {
        Rng rng(o_.seed);
        const int trials = o_.seeding_trials > 0 ? o_.seeding_trials : 2 + int(std::log(double(k_)));
        std::vector<float> buf(size_t(d_), 0.f);
        std::vector<double> mind(static_cast<size_t>(n_)), cand(mind), best(mind), cum(mind);
        std::vector<int64_t> chosen{int64_t(rng.below(uint64_t(n_)))};
        distances_to_point(chosen[0], mind, buf);
        for (int c = 1; c < k_; ++c) {
            double total = 0;
            for (int64_t i = 0; i < n_; ++i) cum[size_t(i)] = (total += mind[size_t(i)]);
            double best_pot = -1;
            int64_t best_idx = -1;
            for (int t = 0; t < trials; ++t) {
                int64_t idx;
                if (total > 0) {
                    double u = rng.uniform() * total;
                    idx = std::upper_bound(cum.begin(), cum.end(), u) - cum.begin();
                    idx = std::min(idx, n_ - 1);
                } else {
                    idx = int64_t(rng.below(uint64_t(n_)));  // every point already sits on a centre
                }
                distances_to_point(idx, cand, buf);
                double pot = 0;
                for (int64_t i = 0; i < n_; ++i) pot += std::min(mind[size_t(i)], cand[size_t(i)]);
                if (best_idx < 0 || pot < best_pot) {
                    best_pot = pot;
                    best_idx = idx;
                    best.swap(cand);
                }
            }
            chosen.push_back(best_idx);
            for (int64_t i = 0; i < n_; ++i) mind[size_t(i)] = std::min(mind[size_t(i)], best[size_t(i)]);
        }
        ct_.assign(size_t(d_ * k_), 0.f);
        for (int c = 0; c < k_; ++c) p_.row(chosen[size_t(c)], [&](int64_t g, float v) { ct_[size_t(g * k_ + c)] = v; });
        centre_norms();
    }

    void centre_norms() {
        cnorm_.assign(size_t(k_), 0.0);
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c) cnorm_[size_t(c)] += double(ct_[size_t(g * k_ + c)]) * ct_[size_t(g * k_ + c)];
    }

    // Nearest centre of every point (ties: lowest index); returns how many labels changed.
    int64_t assign(std::vector<int32_t>& labels) {
        const int chunks = parallel_chunk_count(n_, rc_.threads);
        std::vector<int64_t> changed(size_t(chunks), 0);
        parallel_chunks(n_, rc_.threads, [&](int64_t b, int64_t e, int chunk) {
            std::vector<float> acc(static_cast<size_t>(k_));
            for (int64_t i = b; i < e; ++i) {
                std::fill(acc.begin(), acc.end(), 0.f);
                p_.row(i, [&](int64_t g, float v) { axpy(acc.data(), ct_.data() + g * k_, v, k_); });
                int32_t bl = 0;
                double bd = 0;
                for (int64_t c = 0; c < k_; ++c) {
                    double dist = cnorm_[size_t(c)] - 2.0 * double(acc[size_t(c)]);
                    if (c == 0 || dist < bd) {
                        bd = dist;
                        bl = int32_t(c);
                    }
                }
                dist_[size_t(i)] = std::max(0.0, bd + xnorm_[size_t(i)]);
                if (labels[size_t(i)] != bl) ++changed[size_t(chunk)];
                labels[size_t(i)] = bl;
            }
        });
        return std::accumulate(changed.begin(), changed.end(), int64_t(0));
    }

    // Centres = means of their points. A cluster left empty takes the point farthest from its
    // own centre (largest first, from clusters with more than one point), as scikit-learn does.
    void update(std::vector<int32_t>& labels) {
        std::vector<int64_t> count(size_t(k_), 0);
        for (int32_t l : labels) ++count[size_t(l)];
        std::vector<int64_t> empty;
        for (int64_t c = 0; c < k_; ++c)
            if (count[size_t(c)] == 0) empty.push_back(c);
        if (!empty.empty()) {
            std::vector<int64_t> order(static_cast<size_t>(n_));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(),
                             [&](int64_t a, int64_t b) { return dist_[size_t(a)] > dist_[size_t(b)]; });
            size_t next = 0;
            for (int64_t e : empty) {
                while (next < order.size() && count[size_t(labels[size_t(order[next])])] <= 1) ++next;
                if (next == order.size()) break;
                int64_t i = order[next++];
                --count[size_t(labels[size_t(i)])];
                labels[size_t(i)] = int32_t(e);
                count[size_t(e)] = 1;
                dist_[size_t(i)] = 0;
            }
        }
        sums_.assign(size_t(d_ * k_), 0.0);
        parallel_chunks(d_, rc_.threads, [&](int64_t g0, int64_t g1, int) {
            for (int64_t g = g0; g < g1; ++g) {
                double* s = sums_.data() + g * k_;
                p_.col(g, [&](int64_t i, float v) { s[labels[size_t(i)]] += v; });
            }
        });
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c)
                if (count[size_t(c)] > 0) ct_[size_t(g * k_ + c)] = float(sums_[size_t(g * k_ + c)] / double(count[size_t(c)]));
        centre_norms();
    }

    const P& p_;
    KmeansOptions o_;
    const RunControl& rc_;
    int64_t n_, d_, k_;
    std::vector<double> xnorm_, cnorm_, dist_, sums_;
    std::vector<float> ct_;  // centres, dimension-major: d x k
};

void check(int64_t n, const KmeansOptions& o) {
    if (o.k < 1 || o.k > n)
        throw std::invalid_argument("kmeans: k = " + std::to_string(o.k) + " must be between 1 and the " +
                                    std::to_string(n) + " points");
    if (o.max_iters < 0) throw std::invalid_argument("kmeans: max_iters must be >= 0");
}

}  // namespace

KmeansResult kmeans(const nn::CsrRef& x, const KmeansOptions& options, const RunControl& control) {
    check(x.rows, options);
    SparsePoints pts(x);
    return Lloyd<SparsePoints>(pts, options, control).run();
}

KmeansResult kmeans(const nn::Matrix& x, const KmeansOptions& options, const RunControl& control) {
    check(x.rows(), options);
    DensePoints pts{x.data(), x.rows(), x.cols()};
    return Lloyd<DensePoints>(pts, options, control).run();
}

}  // namespace scpt::cluster
