// The labels of the reference cells, from a labels file (barcode<TAB>label rows) or a metadata
// column, checked for what makes fine-tuning impossible or unreliable. A cell is unlabelled (to
// be predicted) when it has no row in the labels file, or its label is empty, a missing-value
// marker (NA, nan, null, None: io/table's is_missing_text) or one of LabelRules::unlabelled
// (by default "Unassigned", "unlabelled", "unlabeled", any case: scpt's own output for cells it
// could not type, so a PRED.tsv can be used as labels again).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/io/labels.hpp"

namespace scpt::annotate {

struct CellLabels {
    std::vector<std::string> labels;  // one per cell, "" = unlabelled
    int64_t rows = 0;                 // rows of the labels file (or cells, for a column)
    int64_t rows_matched = 0;         // rows whose barcode is a cell of the matrix
    std::vector<std::string> warnings;
};

// Joins a labels file's rows to the cells by barcode: exact matches, then matches that differ by
// a 10x GEM-well suffix only ("AAAC" and "AAAC-1"; io/barcode_match.hpp, which warns how many).
// Rows naming barcodes that are not cells are counted in a warning (with an example). `what`
// names the labels file, `data` the matrix. rows_matched may be 0 (then only a warning about
// ambiguous barcodes, if any, is given).
CellLabels join_labels(const std::vector<std::string>& barcodes, const std::vector<io::LabelPair>& rows,
                       const std::string& what, const std::string& data);

// join_labels, and when no row matches an InputError names both files and shows a barcode of each.
CellLabels labels_for_cells(const std::vector<std::string>& barcodes, const std::vector<io::LabelPair>& rows,
                            const std::string& what, const std::string& data);

// The labels a labels file gave the cells (`joined`, from labels_for_cells on `rows`) as a metadata
// column named `name`: levels in the file's order, as far as they label a cell; -1 unlabelled.
ObsColumn labels_column(const CellLabels& joined, const std::vector<io::LabelPair>& rows, const std::string& name);

// The values of a per-cell metadata column as labels. Throws InputError naming the column and the
// ones that exist when it is absent, or when it is numeric with many distinct values (a score,
// not a cell type).
CellLabels labels_from_column(const CellMatrix& m, const std::string& column, const std::string& data);

struct LabelRules {
    std::vector<std::string> unlabelled{"unassigned", "unlabelled", "unlabeled"};  // compared case-insensitively
    int64_t max_classes = 10'000;
};

struct ReferenceClasses {
    std::vector<std::string> names;  // the cell types, sorted (byte order, as Python's sorted())
    std::vector<int32_t> codes;      // per cell: index into names, -1 = unlabelled
    std::vector<int64_t> counts;     // labelled cells per type
    int64_t labelled = 0;
    std::vector<std::string> warnings;  // types with a single cell
};

// Throws InputError (prefixed with `what`) when no cell is labelled, when a single type is
// labelled (nothing to tell apart), or above max_classes types.
ReferenceClasses reference_classes(const std::vector<std::string>& labels, const std::string& what,
                                   const LabelRules& rules = {});

// True when `label` marks an unlabelled cell under `rules`.
bool is_unlabelled(const std::string& label, const LabelRules& rules = {});

}  // namespace scpt::annotate
