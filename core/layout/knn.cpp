#include "core/layout/knn.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/util/error.hpp"
#include "core/util/parallel.hpp"
#include "core/layout/rp_forest.hpp"

namespace scpt {
namespace {

inline float sq_dist(const float* a, const float* b, int d) {
    float s = 0;
    for (int i = 0; i < d; ++i) {
        float t = a[i] - b[i];
        s += t * t;
    }
    return s;
}

// A bounded max-heap of (squared distance, index) kept sorted on output; rejects duplicates.
struct Neighbours {
    std::vector<std::pair<float, int32_t>> items;  // heap by distance
    int k;
    explicit Neighbours(int k_) : k(k_) { items.reserve(size_t(k_)); }
    float worst() const { return int(items.size()) < k ? std::numeric_limits<float>::infinity() : items.front().first; }
    bool contains(int32_t j) const {
        for (auto& it : items)
            if (it.second == j) return true;
        return false;
    }
    bool offer(float d, int32_t j) {
        if (d >= worst() || contains(j)) return false;
        if (int(items.size()) == k) {
            std::pop_heap(items.begin(), items.end());
            items.pop_back();
        }
        items.emplace_back(d, j);
        std::push_heap(items.begin(), items.end());
        return true;
    }
};

void write_sorted(std::vector<Neighbours>& nb, KnnGraph& g) {
    for (int64_t i = 0; i < g.n; ++i) {
        auto& it = nb[size_t(i)].items;
        std::sort(it.begin(), it.end());
        for (int j = 0; j < g.k; ++j) {
            bool have = j < int(it.size());
            g.index[size_t(i * g.k + j)] = have ? it[size_t(j)].second : -1;
            g.distance[size_t(i * g.k + j)] = have ? std::sqrt(it[size_t(j)].first) : std::numeric_limits<float>::infinity();
        }
    }
}

}  // namespace

KnnGraph knn_graph(const float* x, int64_t n, int d, const KnnOptions& opt, const RunControl& control) {
    if (opt.k < 1) throw InputError("neighbour search: k must be at least 1");
    if (n < 2) throw InputError("a map needs at least 2 cells");
    KnnGraph g;
    g.n = n;
    g.k = int(std::min<int64_t>(opt.k, n - 1));
    g.index.assign(size_t(n * g.k), -1);
    g.distance.assign(size_t(n * g.k), 0.f);
    std::vector<Neighbours> nb(size_t(n), Neighbours(g.k));

    if (n < opt.exact_below) {
        parallel_chunks(n, control.threads, [&](int64_t b, int64_t e, int) {
            for (int64_t i = b; i < e; ++i)
                for (int64_t j = 0; j < n; ++j)
                    if (j != i) nb[size_t(i)].offer(sq_dist(x + i * d, x + j * d, d), int32_t(j));
        });
        write_sorted(nb, g);
        return g;
    }

    // Candidates from the forest: every pair of points sharing a leaf.
    control.report({"layout", 0.0, "neighbour search", 0});
    RpForest forest(x, n, d, opt.trees, opt.leaf_size, opt.seed);
    for (int t = 0; t < forest.tree_count(); ++t) {
        control.check_cancel();
        control.report({"layout", 0.3 * t / opt.trees, "neighbour search", 0});
        const auto& leaves = forest.leaves(t);
        // Each point is in exactly one leaf per tree, so leaves can be processed in parallel.
        parallel_chunks(int64_t(leaves.size()), control.threads, [&](int64_t b, int64_t e, int) {
            for (int64_t l = b; l < e; ++l) {
                const auto& leaf = leaves[size_t(l)];
                for (int32_t p : leaf)
                    for (int32_t q : leaf)
                        if (p != q) nb[size_t(p)].offer(sq_dist(x + int64_t(p) * d, x + int64_t(q) * d, d), q);
            }
        });
    }
    // Refinement: a neighbour of a neighbour is likely a neighbour. Reads a snapshot so that the
    // result does not depend on the order threads run in.
    for (int r = 0; r < opt.refine_rounds; ++r) {
        control.check_cancel();
        control.report({"layout", 0.3 + 0.2 * r / std::max(1, opt.refine_rounds), "refining neighbours", 0});
        std::vector<int32_t> snap(size_t(n * g.k), -1);
        for (int64_t i = 0; i < n; ++i) {
            const auto& it = nb[size_t(i)].items;
            for (size_t j = 0; j < it.size(); ++j) snap[size_t(i * g.k) + j] = it[j].second;
        }
        parallel_chunks(n, control.threads, [&](int64_t b, int64_t e, int) {
            for (int64_t i = b; i < e; ++i)
                for (int a = 0; a < g.k; ++a) {
                    int32_t j = snap[size_t(i * g.k + a)];
                    if (j < 0) continue;
                    for (int c = 0; c < g.k; ++c) {
                        int32_t m = snap[size_t(int64_t(j) * g.k + c)];
                        if (m >= 0 && m != i) nb[size_t(i)].offer(sq_dist(x + i * d, x + int64_t(m) * d, d), m);
                    }
                }
        });
    }
    write_sorted(nb, g);
    return g;
}

}  // namespace scpt
