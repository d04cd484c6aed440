// Cells placed in a space of few dimensions, the two ways both front ends need: through the
// pre-trained encoder (`scpt embed`, the page's map and its K-means groups), or, without a model
// that fits, through the principal components of their own expression.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/gene_match.hpp"
#include "core/data/orthologs.hpp"
#include "core/model/encode.hpp"
#include "core/model/model.hpp"
#include "core/util/run_control.hpp"

namespace scpt::app {

struct EmbedOptions {
    std::string data_name = "your cells";   // for messages
    std::string model_name = "the model";
    const OrthologTable* orthologs = nullptr;
    bool allow_scaled = false;               // accept z-scored values (with a warning)
};

struct Embedded {
    RowMatrix h;                        // cells x the model's hidden units
    GeneMatch genes;                    // how the cells' genes met the model's
    std::string transform;              // how the values were transformed, in words
    std::vector<std::string> notes;     // about the gene match
    std::vector<std::string> warnings;  // about the values
};

// The encoder's output for every cell of m (taken by value: the transform needs whole rows and
// works on this copy; move a matrix in that is not needed after). Throws InputError when too few
// genes meet the model's.
Embedded embed_cells(CellMatrix m, const Model& model, const EmbedOptions& options, const RunControl& control = {});

struct ExpressionPcsOptions {
    int components = 30;   // clipped to cells - 1 and genes - 1, at least 2
    uint64_t seed = 0;
    std::string data_name = "your cells";
};

// Principal components of counts per 10k + log1p (z-scores taken as they are): cells x components.
// Throws InputError for fewer than 3 cells or 3 genes.
Eigen::MatrixXf expression_pcs(const CellMatrix& m, const ExpressionPcsOptions& options, const RunControl& control = {});

// The cells' values (not their metadata) as counts per 10k + log1p, logged data kept as it is and
// z-scores taken: what the maps and the teaching view's pseudo-labels start from.
CellMatrix normalised_expression(const CellMatrix& m, const std::string& data_name, const RunControl& control = {});

}  // namespace scpt::app
