// Whether a reference classifier shipped in a model suits a dataset: the page pre-selects only a
// classifier that fits the cells, and `scpt annotate --classifier` warns when the one asked for
// does not. Three checks, all cheap (they run when cells are loaded):
//   1. genes: enough of the classifier's genes are in the data (what predict_with_classifier needs);
//   2. species: the classifier's (the word human or mouse in its name or description: human_pbmc,
//      "Human PBMC (10x v2, ...") against the data's (guessed from its gene names, gene_names.hpp).
//      Gene matching crosses species through the model's names, so mouse cells do get labelled by a
//      human classifier: the labels would be wrong. Unknown on either side passes;
//   3. cells: an evenly spaced sample of the cells (deterministic) is classified, and a clear
//      majority must be typical of the classifier's types: given a type by its own Unassigned rule
//      (calibrated probability) and, for a Linear head, with standardised features no farther from
//      the reference's than max_feature_rms (the reference cells' own average is 1). A probability
//      alone cannot tell: a two-type classifier gives every cell of any tissue >= 0.5 for one type.
// Matrix and model in, figures out: no I/O, nothing printed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/gene_names.hpp"
#include "core/model/model.hpp"
#include "core/util/run_control.hpp"

namespace scpt::annotate {

struct ClassifierFitOptions {
    int64_t sample_cells = 1000;   // cells classified at most, evenly spaced over the matrix
    double min_typical = 0.6;      // fits when at least this fraction of the sampled cells is typical
    // A cell whose standardised classifier features have a larger root mean square is atypical.
    // Measured on the shared sets with the shipped classifiers: PBMCs of 8 other studies sit at
    // 0.7-1.5 for human_pbmc (>= 99% of cells below 1.6), the other cell-line plate at 0.8-1.2 for
    // lung_cell_lines; cell lines, pancreas, tumours and myoblasts at 1.4-5 for human_pbmc and PBMCs
    // at 1.6-5 for human_pancreas. 2 already lets human_pbmc accept most cells of the cell lines.
    double max_feature_rms = 1.6;
    int64_t min_matched = 50;      // fewer of its genes in the data (capped at its gene count): no fit
    bool allow_scaled = false;     // as ClassifierOptions: z-scored values are otherwise refused
    std::string data_name = "the data";  // for messages
};

struct ClassifierFit {
    std::string name;
    int64_t genes = 0;             // the classifier's genes
    int64_t matched = 0;           // of those, in the data
    double expressed = 0;          // mean over its genes of the fraction of cells expressing each
    Species classifier_species = Species::Unknown;
    Species data_species = Species::Unknown;
    bool species_ok = true;        // false when both species are known and differ
    int64_t sampled = 0;           // cells classified (0 when the genes or values ruled it out)
    int64_t typical = 0;           // of those, typical of its types
    double typical_fraction = 0;   // typical / sampled
    bool fits = false;
    // For users: "92% of 1,000 sampled cells typical of its types" or why it does not fit
    // ("mouse cells, a human classifier; only 4% of 1,000 sampled cells typical of its types").
    std::string verdict;
};

// The classifier's species from its name or description (Unknown when neither says).
Species classifier_species(const ReferenceClassifier& c);

// How one classifier of `model` fits m. Throws only Cancelled.
ClassifierFit classifier_fit(const Model& model, const ReferenceClassifier& c, const CellMatrix& m,
                             const ClassifierFitOptions& options = {}, const RunControl& control = {});

// Every classifier of the model, in the model's order.
std::vector<ClassifierFit> classifier_fits(const Model& model, const CellMatrix& m,
                                           const ClassifierFitOptions& options = {}, const RunControl& control = {});

}  // namespace scpt::annotate
