// Cell-type labels files: one cell per line, `barcode<TAB>label` (or comma-separated), with an
// optional header line. An empty label means "unlabelled". With more than two columns the second
// is the label unless a column is named (by header name or 1-based number).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/util/limits.hpp"

namespace scpt::io {

struct LabelPair {
    std::string barcode;
    std::string label;  // "" = unlabelled
};

struct LabelsOptions {
    // Which column holds the label: a header name ("cell_type") or a 1-based number ("3").
    // Empty: the second column.
    std::string column;
    // Rows are checked against max_cells, distinct labels against max_label_classes, lines
    // against max_line_bytes; a gzip file is streamed (max_inflated_bytes).
    Limits limits;
};

// Header detection: the first line is a header when a column is chosen by name and found there,
// or when its first field is a typical id-column title (barcode, cell, cell_id, ...), empty, or
// its label field is a typical title (label, cell_type, celltype, cluster, annotation, ...).
// Throws InputError for a file with one column, a ragged line, a duplicated barcode, a column
// that does not exist, more rows than cells or more distinct labels than the limits allow.
std::vector<LabelPair> parse_labels(std::string_view bytes, const std::string& what, const LabelsOptions& o = {});

// A 10x folder's labels.tsv as the metadata column "label" of m, its rows joined to the cells by
// match_barcodes (exact, then 10x GEM-well suffix); nothing when m has a "label" column already.
// It is optional: one that matches no cell is a note ("not used"), not an error. Notes (no match,
// suffix matches, ambiguous barcodes) are appended to *notes.
void add_folder_labels(CellMatrix& m, std::string_view bytes, const std::string& what, const Limits& limits,
                       std::vector<std::string>* notes);

}  // namespace scpt::io
