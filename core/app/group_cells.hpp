// The flow without labels and without a classifier: the cells grouped by K-means, on the
// pre-trained encoder's output when the model fits their genes, else on the principal components
// of their expression. Groups are numbered by size (0 = the largest) and named "Cluster 1"...
// Both front ends run it: the page when no labels are given, `scpt annotate` without --labels.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"
#include "core/nn/tensor.hpp"
#include "core/util/run_control.hpp"

namespace scpt::app {

struct GroupOptions {
    int clusters = 0;        // 0: round(sqrt(cells / 20)); always clipped to [2, min(20, cells)]
    uint64_t seed = 0;
    int n_init = 3;          // K-means starts (Lloyd stops in local optima; three cost little here)
    int pca_components = 30; // the expression's components without a model
    // A model whose genes do not meet the cells': true steps aside (a note, then PCs: the shipped
    // model); false refuses (a model the user chose).
    bool fall_back_without_model = true;
    bool allow_scaled = false;
    std::string data_name = "your cells";
    std::string model_name = "the model";
};

struct Groups {
    int k = 1;
    std::vector<int32_t> codes;       // per cell, in [0, k); 0 = the largest group
    std::vector<int64_t> sizes;       // cells per group, descending
    std::vector<std::string> names;   // "Cluster 1", ...
    std::string embedding = "model";  // what was clustered: "model", "pca", or "none" (too few cells)
    nn::Matrix points;                // cells x dims, what was clustered (for the map)
    std::string genes_summary;        // with the model: how the genes met it
    std::vector<std::string> notes;   // for the user: the gene match, a fallback, too few cells
};

// model may be null (no pre-training). Cancellable through control.
Groups group_cells(const CellMatrix& m, const Model* model, const GroupOptions& options, const RunControl& control = {});

}  // namespace scpt::app
