#include "core/layout/umap.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "core/util/error.hpp"
#include "core/util/rng.hpp"

namespace scpt {
namespace {

struct Edge {
    int32_t head, tail;
    float weight;
};

// Fuzzy simplicial set of the kNN graph: per-point bandwidths so that each point's membership
// strengths sum to log2(k), then the fuzzy union W + W^T - W o W^T.
std::vector<Edge> fuzzy_graph(const KnnGraph& g) {
    const double target = std::log2(double(g.k));
    std::vector<std::vector<std::pair<int32_t, float>>> rows(size_t(g.n));
    double mean_all = 0;
    for (float v : g.distance) mean_all += std::isfinite(v) ? v : 0;
    mean_all /= double(g.distance.size());
    for (int64_t i = 0; i < g.n; ++i) {
        const float* d = &g.distance[size_t(i * g.k)];
        const int32_t* id = &g.index[size_t(i * g.k)];
        double rho = 0;
        for (int j = 0; j < g.k; ++j)
            if (id[j] >= 0 && d[j] > 0) { rho = d[j]; break; }
        double lo = 0, hi = INFINITY, sigma = 1;
        for (int it = 0; it < 64; ++it) {
            double s = 0;
            for (int j = 0; j < g.k; ++j)
                if (id[j] >= 0) s += std::exp(-std::max(0.0, double(d[j]) - rho) / sigma);
            if (std::abs(s - target) < 1e-5) break;
            if (s > target) {
                hi = sigma;
                sigma = 0.5 * (lo + hi);
            } else {
                lo = sigma;
                sigma = std::isinf(hi) ? sigma * 2 : 0.5 * (lo + hi);
            }
        }
        double mean_i = 0;
        for (int j = 0; j < g.k; ++j) mean_i += std::isfinite(d[j]) ? d[j] : 0;
        mean_i /= g.k;
        sigma = std::max(sigma, 1e-3 * (rho > 0 ? mean_i : mean_all));
        for (int j = 0; j < g.k; ++j)
            if (id[j] >= 0) rows[size_t(i)].emplace_back(id[j], float(std::exp(-std::max(0.0, double(d[j]) - rho) / sigma)));
        std::sort(rows[size_t(i)].begin(), rows[size_t(i)].end());
    }
    auto weight_of = [&](int32_t i, int32_t j) -> float {
        const auto& r = rows[size_t(i)];
        auto it = std::lower_bound(r.begin(), r.end(), std::make_pair(j, -1.f));
        return it != r.end() && it->first == j ? it->second : 0.f;
    };
    std::vector<Edge> edges;
    for (int32_t i = 0; i < int32_t(g.n); ++i)
        for (auto [j, w] : rows[size_t(i)]) {
            float wt = weight_of(j, i);
            float u = w + wt - w * wt;
            edges.push_back({i, j, u});
            if (wt == 0) edges.push_back({j, i, u});  // make the reverse direction exist too
        }
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
        return a.head != b.head ? a.head < b.head : a.tail < b.tail;
    });
    return edges;
}

// Two leading principal components, scaled to a range of 10 with a little noise (umap-learn's
// "pca" initialisation); deterministic up to the sign convention fixed below.
std::vector<float> pca_init(const float* x, int64_t n, int d, Rng& rng) {
    Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> m(x, n, d);
    Eigen::MatrixXd c = m.cast<double>();
    c.rowwise() -= c.colwise().mean();
    Eigen::MatrixXd cov = (c.transpose() * c) / double(std::max<int64_t>(1, n - 1));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(cov);
    std::vector<float> y(size_t(n * 2));
    for (int comp = 0; comp < 2; ++comp) {
        Eigen::VectorXd v = comp < d ? Eigen::VectorXd(es.eigenvectors().col(d - 1 - comp)) : Eigen::VectorXd::Zero(d);
        Eigen::Index at;
        v.cwiseAbs().maxCoeff(&at);
        if (v[at] < 0) v = -v;
        Eigen::VectorXd s = c * v;
        double lo = s.minCoeff(), hi = s.maxCoeff();
        double scale = hi > lo ? 10.0 / (hi - lo) : 0;
        for (int64_t i = 0; i < n; ++i) y[size_t(i * 2 + comp)] = float((s[i] - lo) * scale + 1e-4 * rng.normal());
    }
    return y;
}

inline float clip4(float v) { return std::max(-4.f, std::min(4.f, v)); }

}  // namespace

std::vector<float> umap_from_graph(const KnnGraph& graph, const float* data, int dims, const UmapOptions& opt,
                                   const RunControl& control) {
    const int64_t n = graph.n;
    const int epochs = opt.epochs > 0 ? opt.epochs : (n <= 10000 ? 500 : 200);
    Rng rng(opt.seed);
    std::vector<float> y = pca_init(data, n, dims, rng);

    std::vector<Edge> edges = fuzzy_graph(graph);
    float wmax = 0;
    for (auto& e : edges) wmax = std::max(wmax, e.weight);
    // Drop edges too weak to be sampled even once (umap-learn does the same).
    edges.erase(std::remove_if(edges.begin(), edges.end(), [&](const Edge& e) { return e.weight < wmax / epochs; }),
                edges.end());
    const size_t m = edges.size();
    std::vector<double> per_sample(m), next(m), per_negative(m), next_negative(m);
    for (size_t i = 0; i < m; ++i) {
        per_sample[i] = double(wmax) / edges[i].weight;
        next[i] = per_sample[i];
        per_negative[i] = per_sample[i] / opt.negative_samples;
        next_negative[i] = per_negative[i];
    }
    const float a = float(opt.a), b = float(opt.b);
    for (int epoch = 0; epoch < epochs; ++epoch) {
        if (epoch % 10 == 0) {
            control.check_cancel();
            control.report({"layout", 0.5 + 0.5 * epoch / epochs, "map epoch " + std::to_string(epoch), 0});
        }
        const float alpha = float(opt.learning_rate * (1.0 - double(epoch) / epochs));
        for (size_t i = 0; i < m; ++i) {
            if (next[i] > epoch) continue;
            float* cur = &y[size_t(edges[i].head) * 2];
            float* oth = &y[size_t(edges[i].tail) * 2];
            float dx = cur[0] - oth[0], dy = cur[1] - oth[1];
            float d2 = dx * dx + dy * dy;
            if (d2 > 0) {
                float coef = -2.f * a * b * std::pow(d2, b - 1.f) / (a * std::pow(d2, b) + 1.f);
                float gx = clip4(coef * dx) * alpha, gy = clip4(coef * dy) * alpha;
                cur[0] += gx; cur[1] += gy;
                oth[0] -= gx; oth[1] -= gy;
            }
            next[i] += per_sample[i];
            int negatives = int((epoch - next_negative[i]) / per_negative[i]);
            for (int s = 0; s < negatives; ++s) {
                int64_t k = int64_t(rng.below(uint64_t(n)));
                if (k == edges[i].head) continue;
                const float* other = &y[size_t(k) * 2];
                dx = cur[0] - other[0];
                dy = cur[1] - other[1];
                d2 = dx * dx + dy * dy;
                float gx = 4.f, gy = 4.f;
                if (d2 > 0) {
                    float coef = 2.f * b / ((0.001f + d2) * (a * std::pow(d2, b) + 1.f));
                    gx = clip4(coef * dx);
                    gy = clip4(coef * dy);
                }
                cur[0] += gx * alpha;
                cur[1] += gy * alpha;
            }
            next_negative[i] += negatives * per_negative[i];
        }
    }
    return y;
}

std::vector<float> umap_layout(const float* data, int64_t n, int dims, const UmapOptions& opt,
                               const RunControl& control) {
    KnnOptions ko = opt.knn;
    ko.k = opt.neighbours;
    ko.seed = opt.seed;
    KnnGraph g = knn_graph(data, n, dims, ko, control);
    return umap_from_graph(g, data, dims, opt, control);
}

}  // namespace scpt
