// Predictions against types already known for the same cells (a metadata column of the labelled
// data, e.g. an author's annotation): the accuracy and the confusion table the page shows beside
// its results, written once here. Types match by name; a known type the reference lacks can only
// be wrong. K-means groups have no names to be right about: the table only.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/app/annotate_flow.hpp"
#include "core/data/cell_matrix.hpp"

namespace scpt::app {

struct TruthScore {
    std::string column;                        // the known types' column
    bool named = true;                         // false: the predictions are K-means groups
    int64_t cells = 0;                         // predicted cells with a known type
    int64_t assigned = 0;                      // ... of them given a type (not Unassigned)
    double accuracy = 0;                       // right / cells (Unassigned counts as wrong)
    double accuracy_assigned = 0;              // right / assigned
    double macro_f1 = 0;                       // mean F1 over the known types (named only)
    std::vector<std::string> rows;             // the known types, in the column's order
    std::vector<std::string> cols;             // the outcome's classes, then "Unassigned"
    std::vector<std::vector<int64_t>> counts;  // rows x cols
};

// `truth` is a categorical column of the matrix the outcome labelled (its codes by matrix row).
// Throws InputError for a numeric column or one of another length.
TruthScore score_against_truth(const AnnotateOutcome& outcome, const ObsColumn& truth);

}  // namespace scpt::app
