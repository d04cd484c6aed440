// UMAP (McInnes, Healy & Melville 2018) of the cells' embedding into 2D for the map, following
// umap-learn's defaults: 15 neighbours, min_dist 0.1, spread 1, 5 negative samples, 500 epochs
// below 10,000 cells and 200 above, PCA initialisation. Single-threaded stochastic gradient
// descent, so the layout is the same for a seed natively and in the browser.
#pragma once
#include <cstdint>
#include <vector>

#include "core/layout/knn.hpp"
#include "core/util/run_control.hpp"

namespace scpt {

struct UmapOptions {
    int neighbours = 15;
    int epochs = 0;               // 0: 500 below 10,000 points, else 200 (umap-learn's rule)
    double learning_rate = 1.0;
    int negative_samples = 5;
    // The curve 1 / (1 + a d^(2b)) fitted to min_dist = 0.1, spread = 1 (umap-learn's defaults).
    double a = 1.576943460405378;
    double b = 0.8950608781227859;
    uint64_t seed = 0;
    KnnOptions knn;               // its k is set from `neighbours`
};

// Returns n x 2 coordinates, row-major. data: n points of `dims` floats, row-major.
std::vector<float> umap_layout(const float* data, int64_t n, int dims, const UmapOptions& opt,
                               const RunControl& control = {});

// The same from a ready neighbour graph (lets callers reuse one graph for several layouts).
std::vector<float> umap_from_graph(const KnnGraph& graph, const float* data, int dims, const UmapOptions& opt,
                                   const RunControl& control = {});

}  // namespace scpt
