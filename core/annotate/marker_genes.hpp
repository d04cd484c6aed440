// Genes that tell the reference's types apart, for the linear head to see beside the frozen
// encoder's outputs: a pre-trained encoder compresses 20,000 genes into 200 outputs learnt on
// other tissues, and a type defined by a handful of markers (cell lines, CHETAH's types, FPKM
// myoblasts) can vanish in that compression, where a linear model on the genes themselves keeps
// it (EVALUATION.md: the LR and SVM peers on all genes). The selection is supervised on the
// labelled cells only (one-way ANOVA F statistic of each gene across the types), so it costs one
// pass over the reference and keeps the head's fit small (hundreds of genes, not 20,000).
#pragma once
#include <cstdint>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/nn/tensor.hpp"

namespace scpt::annotate {

struct MarkerGeneOptions {
    int genes = 500;               // genes kept, the highest F first (fewer when fewer qualify)
    int64_t min_cells = 3;         // a gene must be non-zero in at least this many labelled cells
};

// x: the labelled cells (transformed values), y: type per cell in [0, n_classes). Returns the
// chosen columns of x, ascending. Deterministic: ties broken by column. Throws
// std::invalid_argument when y does not match x.
std::vector<int32_t> select_marker_genes(const CellMatrix& x, const std::vector<int32_t>& y, int n_classes,
                                         const MarkerGeneOptions& o = {});

// The dense cells x genes.size() block of x's values at `genes` (columns of x).
nn::Matrix dense_columns(const CellMatrix& x, const std::vector<int32_t>& genes);
// All of x, dense.
nn::Matrix dense_cells(const CellMatrix& x);

}  // namespace scpt::annotate
