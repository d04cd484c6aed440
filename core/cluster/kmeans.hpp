// Lloyd's K-means with greedy k-means++ seeding, on sparse (CSR) or dense points.
//
// Pre-training phase 1 clusters each dataset's log1p expression over the whole shared vocabulary
// (~30k genes): the sparse path works on the CSR matrix directly, computing squared distances as
// |x|^2 - 2 x.c + |c|^2 with the centres stored dimension-major, so the cost per point is
// nnz(x) * k and nothing dense of size cells x genes is ever built.
//
// Determinism: every random draw comes from scpt::Rng(seed); per-point work is independent and
// per-dimension centre sums are accumulated in point order, so results are identical for any
// thread count (and are the same on every platform for a seed).
#pragma once
#include <cstdint>
#include <vector>

#include "core/nn/sparse_batch.hpp"
#include "core/nn/tensor.hpp"
#include "core/util/run_control.hpp"

namespace scpt::cluster {

struct KmeansOptions {
    int k = 8;                // clusters; must be in [1, points]
    int max_iters = 20;       // Lloyd updates at most (faiss's default niter, as the reference uses)
    double tol = 1e-4;        // stop when inertia falls by less than tol * inertia (0: only at a fixed point)
    int seeding_trials = 0;   // candidates per k-means++ draw; 0 = 2 + floor(ln k), as scikit-learn
    int n_init = 1;           // independent runs (seeding + Lloyd); the lowest inertia wins. Lloyd
                              // stops in local optima: on CellBench's 3 cell lines 3 of 8 single
                              // runs did (as scikit-learn's and faiss's do); the reference uses 1
    uint64_t seed = 0;
};

struct KmeansResult {
    std::vector<int32_t> labels;  // per point, in [0, k); the nearest final centre
    nn::Matrix centers;           // k x dims
    std::vector<int64_t> sizes;   // points per cluster (a cluster can end empty only with duplicate points)
    double inertia = 0;           // sum of squared distances of points to their centres
    int iterations = 0;           // Lloyd updates performed
};

// Clusters the rows of x. control: threads, cancellation (checked between iterations) and
// progress (stage "kmeans").
KmeansResult kmeans(const nn::CsrRef& x, const KmeansOptions& options, const RunControl& control = {});

// Clusters the rows of a dense row-major matrix.
KmeansResult kmeans(const nn::Matrix& x, const KmeansOptions& options, const RunControl& control = {});

}  // namespace scpt::cluster
