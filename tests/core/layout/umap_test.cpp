#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/layout/knn.hpp"
#include "core/layout/umap.hpp"
#include "core/util/rng.hpp"

namespace scpt {
namespace {

// Well-separated Gaussian blobs: the simplest data whose right answer is known.
std::vector<float> blobs(int64_t n, int d, int clusters, uint64_t seed, std::vector<int>* label) {
    Rng rng(seed);
    std::vector<std::vector<float>> centre(static_cast<size_t>(clusters), std::vector<float>(static_cast<size_t>(d)));
    for (auto& c : centre)
        for (auto& v : c) v = float(10 * rng.normal());
    std::vector<float> x(size_t(n * d));
    label->assign(size_t(n), 0);
    for (int64_t i = 0; i < n; ++i) {
        int c = int(i % clusters);
        (*label)[size_t(i)] = c;
        for (int j = 0; j < d; ++j) x[size_t(i * d + j)] = centre[size_t(c)][size_t(j)] + float(rng.normal());
    }
    return x;
}

TEST(Knn, ForestFindsMostTrueNeighbours) {
    std::vector<int> label;
    const int64_t n = 5000;
    const int d = 16;
    std::vector<float> x = blobs(n, d, 5, 1, &label);
    KnnOptions exact;
    exact.exact_below = n + 1;
    KnnOptions approx;
    approx.exact_below = 0;
    KnnGraph truth = knn_graph(x.data(), n, d, exact);
    KnnGraph got = knn_graph(x.data(), n, d, approx);
    ASSERT_EQ(got.k, 15);
    int64_t hits = 0;
    for (int64_t i = 0; i < n; ++i) {
        std::set<int32_t> t(truth.index.begin() + i * 15, truth.index.begin() + (i + 1) * 15);
        for (int j = 0; j < 15; ++j) hits += t.count(got.index[size_t(i * 15 + j)]);
        // Nearest first, never the point itself.
        for (int j = 1; j < 15; ++j) EXPECT_LE(got.distance[size_t(i * 15 + j - 1)], got.distance[size_t(i * 15 + j)]);
        for (int j = 0; j < 15; ++j) ASSERT_NE(got.index[size_t(i * 15 + j)], i);
    }
    double recall = double(hits) / double(n * 15);
    EXPECT_GT(recall, 0.9) << "recall " << recall;
}

TEST(Knn, DeterministicAcrossThreadCounts) {
    std::vector<int> label;
    std::vector<float> x = blobs(3000, 8, 3, 2, &label);
    KnnOptions o;
    o.exact_below = 0;
    RunControl one, two;
    two.threads = 2;
    KnnGraph a = knn_graph(x.data(), 3000, 8, o, one), b = knn_graph(x.data(), 3000, 8, o, two);
    EXPECT_EQ(a.index, b.index);
}

TEST(Umap, KeepsClustersApartAndIsDeterministic) {
    std::vector<int> label;
    const int64_t n = 900;
    std::vector<float> x = blobs(n, 20, 3, 3, &label);
    UmapOptions o;
    o.epochs = 200;
    std::vector<float> y = umap_layout(x.data(), n, 20, o);
    ASSERT_EQ(y.size(), size_t(n * 2));
    // In the 2D map, a cell's 10 nearest cells should belong to its own cluster.
    KnnOptions ko;
    ko.k = 10;
    KnnGraph g = knn_graph(y.data(), n, 2, ko);
    int64_t same = 0;
    for (int64_t i = 0; i < n; ++i)
        for (int j = 0; j < 10; ++j) same += label[size_t(g.index[size_t(i * 10 + j)])] == label[size_t(i)];
    EXPECT_GT(double(same) / double(n * 10), 0.98);
    EXPECT_EQ(y, umap_layout(x.data(), n, 20, o));
}

}  // namespace
}  // namespace scpt

#include "core/layout/cell_map.hpp"

namespace scpt {
namespace {

TEST(CellMap, PlacesCellsBeyondTheSampleNextToTheirCluster) {
    std::vector<int> label;
    const int64_t n = 3000;
    std::vector<float> x = blobs(n, 30, 4, 9, &label);
    CellMapOptions o;
    o.max_layout_cells = 600;
    o.umap.epochs = 150;
    CellMap m = cell_map(x.data(), n, 30, o);
    int64_t laid = 0;
    for (auto v : m.laid_out) laid += v;
    EXPECT_EQ(laid, 600);
    // Cluster centres in the map; every placed cell must be nearest its own cluster's centre.
    std::vector<double> cx(4, 0), cy(4, 0), cn(4, 0);
    for (int64_t i = 0; i < n; ++i)
        if (m.laid_out[size_t(i)]) {
            cx[size_t(label[size_t(i)])] += m.xy[size_t(2 * i)];
            cy[size_t(label[size_t(i)])] += m.xy[size_t(2 * i + 1)];
            cn[size_t(label[size_t(i)])] += 1;
        }
    int64_t right = 0, placed = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (m.laid_out[size_t(i)]) continue;
        ++placed;
        int best = 0;
        double bd = 1e300;
        for (int c = 0; c < 4; ++c) {
            double dx = m.xy[size_t(2 * i)] - cx[size_t(c)] / cn[size_t(c)], dy = m.xy[size_t(2 * i + 1)] - cy[size_t(c)] / cn[size_t(c)];
            if (dx * dx + dy * dy < bd) bd = dx * dx + dy * dy, best = c;
        }
        right += best == label[size_t(i)];
    }
    EXPECT_EQ(placed, n - 600);
    EXPECT_GT(double(right) / double(placed), 0.99);
}

}  // namespace
}  // namespace scpt

namespace scpt {
namespace {

TEST(CellMap, SameMapForAnyThreadCount) {
    std::vector<int> label;
    const int64_t n = 1500;
    std::vector<float> x = blobs(n, 40, 3, 11, &label);
    CellMapOptions o;
    o.max_layout_cells = 500;
    o.umap.epochs = 50;
    RunControl one, three;
    three.threads = 3;
    CellMap a = cell_map(x.data(), n, 40, o, one), b = cell_map(x.data(), n, 40, o, three);
    EXPECT_EQ(a.xy, b.xy);
}

}  // namespace
}  // namespace scpt
