// k-nearest-neighbour graphs in Euclidean space for the 2D map of the cells. Exact search for small
// inputs; for large ones a forest of random-projection trees gives candidates that a few rounds of
// neighbour-of-neighbour refinement (the idea of NN-descent) polish. Deterministic for a seed.
#pragma once
#include <cstdint>
#include <vector>

#include "core/util/run_control.hpp"

namespace scpt {

struct KnnOptions {
    int k = 15;                    // neighbours per point, not counting the point itself
    int64_t exact_below = 4000;    // brute force when there are fewer points than this
    int trees = 8;                 // random-projection trees (more: better recall, slower)
    int leaf_size = 48;            // points per tree leaf
    int refine_rounds = 2;         // neighbour-of-neighbour passes after the forest
    uint64_t seed = 0;
};

// Neighbours of every point, nearest first: index[i*k + j], distance[i*k + j] (Euclidean).
struct KnnGraph {
    int64_t n = 0;
    int k = 0;
    std::vector<int32_t> index;
    std::vector<float> distance;
};

// data: n points of `dims` floats each, row-major.
KnnGraph knn_graph(const float* data, int64_t n, int dims, const KnnOptions& opt, const RunControl& control = {});

}  // namespace scpt
