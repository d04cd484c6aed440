// What the paper reports for representations: how well the pre-trained encoder's embedding (no
// fine-tuning) separates the cell types, against PCA-200 of the same transformed values:
//   K-means with k = number of types on every labelled cell: ARI and NMI against the labels;
//   logistic regression (L2, C = 1) trained on the reference cells of a split, scored on its test
//   cells: accuracy and macro-F1.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/stats/metrics.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"
#include "core/util/run_control.hpp"

namespace scpt::annotate {

struct RepresentationReport {
    std::string name;  // "embedding" or "pca"
    int dims = 0;
    double ari = 0, nmi = 0;               // K-means, means over seeds
    double lr_accuracy = 0, lr_macro_f1 = 0;
};

struct RepresentationInput {
    const CellMatrix* cells = nullptr;     // the labelled cells, transformed values
    std::vector<int32_t> types;            // per cell
    int n_types = 0;
    const EncoderWeights* encoder = nullptr;    // null: PCA only
    const std::vector<int32_t>* gene_to_row = nullptr;
    std::vector<std::vector<int64_t>> reference, test;  // per seed: rows of cells
    std::vector<uint32_t> seeds;
};

std::vector<RepresentationReport> compare_representations(const RepresentationInput& in, int pca_dims,
                                                          const RunControl& control = {});

}  // namespace scpt::annotate
