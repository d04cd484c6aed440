// scPretrain's pseudo-labels, written once: pre-training (pretrain.cpp) trains on them and the
// page's teaching view (wasm/teaching_api.cpp) draws them. Per dataset of n cells, three K-means
// clusterings with n/100, n/50 and n/200 + 1 clusters (each clamped to [2, n - 1], as the
// reference ../shared/peers/pretrain_ref.py does): phase 1 on the transformed expression, phase 2
// on the encoder's sigmoid output.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "core/nn/sparse_batch.hpp"
#include "core/nn/tensor.hpp"
#include "core/util/run_control.hpp"

namespace scpt::train {

// The three cluster counts for a dataset of n cells (n >= 3).
std::array<int, 3> pseudo_label_counts(int64_t n);

struct PseudoLabelOptions {
    int kmeans_iters = 20;     // Lloyd iterations per clustering (faiss niter in the reference)
    uint64_t seed = 0;         // the run's seed
    int phase = 1;             // 1 or 2: part of each clustering's seed
    int64_t corpus_index = 0;  // the dataset's index in the pre-training corpus: part of the seed
};

// The seed of clustering `level` (0..2), derived from the run's seed, the phase and corpus index.
uint64_t pseudo_label_seed(const PseudoLabelOptions& options, int level);

struct PseudoLabels {
    std::array<int, 3> k{};                          // pseudo_label_counts(cells)
    std::array<std::vector<int32_t>, 3> labels;      // per level, per cell in [0, k[level])
};

// x: cells x genes, transformed expression (phase 1). Throws InputError for fewer than 3 cells;
// Cancelled when control.cancel is set. control's progress is not used (callers say what runs).
PseudoLabels pseudo_labels(const nn::CsrRef& x, const PseudoLabelOptions& options, const RunControl& control = {});
// z: cells x hidden, the encoder's sigmoid output (phase 2).
PseudoLabels pseudo_labels(const nn::Matrix& z, const PseudoLabelOptions& options, const RunControl& control = {});

}  // namespace scpt::train
