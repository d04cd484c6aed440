// The pseudo-labels pre-training would make for a set of cells (core/train/pseudo_labels.hpp),
// for the page's teaching view: phase 1 clusters the cells' expression transformed as the
// pre-training corpus is (counts per 10k, log1p), phase 2 the encoder's output.
#pragma once
#include <string>

#include "core/data/cell_matrix.hpp"
#include "core/nn/tensor.hpp"
#include "core/train/pseudo_labels.hpp"
#include "core/util/run_control.hpp"

namespace scpt::app {

struct PseudoLabelViewOptions {
    uint64_t seed = 0;
    int kmeans_iters = 20;                 // as PretrainOptions::kmeans_iters
    std::string data_name = "your cells";  // for messages
};

// Phase 1: on the transformed expression of m (a copy; m is not changed; z-scores are taken as
// they are). Throws InputError for fewer than 3 cells.
train::PseudoLabels expression_pseudo_labels(const CellMatrix& m, const PseudoLabelViewOptions& options,
                                             const RunControl& control = {});

// Phase 2: on the encoder's output h (cells x hidden, sigmoid, as app::embed_cells gives it).
train::PseudoLabels encoder_pseudo_labels(const nn::Matrix& h, const PseudoLabelViewOptions& options,
                                          const RunControl& control = {});

}  // namespace scpt::app
