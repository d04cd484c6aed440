#include "core/cluster/kmeans.hpp"

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

template <class P>
class Lloyd {
public:
    Lloyd(const P& pts, const KmeansOptions& o, const RunControl& rc)
        : p_(pts), o_(o), rc_(rc), n_(pts.n()), d_(pts.d()), k_(o.k), kp_(round16(o.k)) {}

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
            for (int64_t c = 0; c < k_; ++c) res.centers(c, g) = ct_[size_t(g * kp_ + c)];
        res.sizes.assign(size_t(k_), 0);
        for (int32_t l : res.labels) ++res.sizes[size_t(l)];
        return res;
    }

private:
    // Squared distances of every point to each of the points cand[0..m): out is n x m
    // (point-major, clamped at 0). One pass over the data serves all candidates.
    void distances_to_points(const std::vector<int64_t>& cand, std::vector<double>& out, std::vector<float>& buf) const {
        const int64_t m = int64_t(cand.size()), mp = round16(m);
        buf.assign(size_t(d_ * mp), 0.f);
        for (int64_t t = 0; t < m; ++t) p_.row(cand[size_t(t)], [&](int64_t g, float v) { buf[size_t(g * mp + t)] = v; });
        out.resize(size_t(n_ * m));
        parallel_chunks(n_, rc_.threads, [&](int64_t b, int64_t e, int) {
            std::vector<float> dot(static_cast<size_t>(mp));
            for (int64_t i = b; i < e; ++i) {
                row_dots(p_, i, buf.data(), mp, m, dot.data());
                for (int64_t t = 0; t < m; ++t) {
                    int64_t c = cand[size_t(t)];
                    out[size_t(i * m + t)] =
                        i == c ? 0.0 : std::max(0.0, xnorm_[size_t(i)] + xnorm_[size_t(c)] - 2.0 * double(dot[size_t(t)]));
                }
            }
        });
    }

    // Greedy k-means++ (Arthur & Vassilvitskii; the several-candidates variant of scikit-learn):
    // each new centre is the best of `trials` points drawn with probability ~ D(x)^2.
    void seed_centres() {
        Rng rng(o_.seed);
        const int trials = o_.seeding_trials > 0 ? o_.seeding_trials : 2 + int(std::log(double(k_)));
        std::vector<float> buf;
        std::vector<double> mind(static_cast<size_t>(n_)), cum(mind), dist;
        std::vector<int64_t> chosen{int64_t(rng.below(uint64_t(n_)))};
        distances_to_points(chosen, mind, buf);
        std::vector<int64_t> cand;
        for (int c = 1; c < k_; ++c) {
            double total = 0;
            for (int64_t i = 0; i < n_; ++i) cum[size_t(i)] = (total += mind[size_t(i)]);
            cand.clear();
            for (int t = 0; t < trials; ++t) {
                if (total > 0) {
                    double u = rng.uniform() * total;
                    int64_t idx = std::upper_bound(cum.begin(), cum.end(), u) - cum.begin();
                    cand.push_back(std::min(idx, n_ - 1));
                } else {
                    cand.push_back(int64_t(rng.below(uint64_t(n_))));  // every point already sits on a centre
                }
            }
            distances_to_points(cand, dist, buf);
            const int64_t m = int64_t(cand.size());
            int64_t best = 0;
            double best_pot = 0;
            for (int64_t t = 0; t < m; ++t) {
                double pot = 0;
                for (int64_t i = 0; i < n_; ++i) pot += std::min(mind[size_t(i)], dist[size_t(i * m + t)]);
                if (t == 0 || pot < best_pot) {
                    best_pot = pot;
                    best = t;
                }
            }
            chosen.push_back(cand[size_t(best)]);
            for (int64_t i = 0; i < n_; ++i) mind[size_t(i)] = std::min(mind[size_t(i)], dist[size_t(i * m + best)]);
        }
        ct_.assign(size_t(d_ * kp_), 0.f);
        for (int c = 0; c < k_; ++c) p_.row(chosen[size_t(c)], [&](int64_t g, float v) { ct_[size_t(g * kp_ + c)] = v; });
        centre_norms();
    }

    void centre_norms() {
        cnorm_.assign(size_t(k_), 0.0);
        for (int64_t g = 0; g < d_; ++g)
            for (int64_t c = 0; c < k_; ++c) cnorm_[size_t(c)] += double(ct_[size_t(g * kp_ + c)]) * ct_[size_t(g * kp_ + c)];
    }

    // Nearest centre of every point (ties: lowest index); returns how many labels changed.
    int64_t assign(std::vector<int32_t>& labels) {
        const int chunks = parallel_chunk_count(n_, rc_.threads);
        std::vector<int64_t> changed(size_t(chunks), 0);
        parallel_chunks(n_, rc_.threads, [&](int64_t b, int64_t e, int chunk) {
            std::vector<float> acc(static_cast<size_t>(kp_));
            for (int64_t i = b; i < e; ++i) {
                row_dots(p_, i, ct_.data(), kp_, k_, acc.data());
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
                if (count[size_t(c)] > 0) ct_[size_t(g * kp_ + c)] = float(sums_[size_t(g * k_ + c)] / double(count[size_t(c)]));
        centre_norms();
    }

    const P& p_;
    KmeansOptions o_;
    const RunControl& rc_;
    int64_t n_, d_, k_;
    int64_t kp_;  // centre stride in ct_: k rounded up to whole 16-float vectors
    std::vector<double> xnorm_, cnorm_, dist_, sums_;
    std::vector<float> ct_;  // centres, dimension-major: d x kp (padding stays 0)
};

void check(int64_t n, const KmeansOptions& o) {
    if (o.k < 1 || o.k > n)
        throw std::invalid_argument("kmeans: k = " + std::to_string(o.k) + " must be between 1 and the " +
                                    std::to_string(n) + " points");
    if (o.max_iters < 0) throw std::invalid_argument("kmeans: max_iters must be >= 0");
    if (o.n_init < 1) throw std::invalid_argument("kmeans: n_init must be >= 1");
}

// Run r > 0 draws its seed from the options' seed, so run 0 is the single-run result.
template <class P>
KmeansResult best_of_runs(const P& pts, const KmeansOptions& options, const RunControl& control) {
    KmeansResult best;
    for (int r = 0; r < options.n_init; ++r) {
        KmeansOptions o = options;
        if (r > 0) o.seed = Rng(options.seed).split(uint64_t(r)).next_u64();
        KmeansResult res = Lloyd<P>(pts, o, control).run();
        if (r == 0 || res.inertia < best.inertia) best = std::move(res);
    }
    return best;
}

}  // namespace

KmeansResult kmeans(const nn::CsrRef& x, const KmeansOptions& options, const RunControl& control) {
    check(x.rows, options);
    FlushDenormals ftz;
    SparsePoints pts(x);
    return best_of_runs(pts, options, control);
}

KmeansResult kmeans(const nn::Matrix& x, const KmeansOptions& options, const RunControl& control) {
    check(x.rows(), options);
    FlushDenormals ftz;
    DensePoints pts{x.data(), x.rows(), x.cols()};
    return best_of_runs(pts, options, control);
}

}  // namespace scpt::cluster
