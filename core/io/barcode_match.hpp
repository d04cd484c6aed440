// Matching the barcodes a file names (a labels file, an obs table) to the cells of a matrix.
// Exact matches first; a barcode left over then matches a cell that differs from it only by a 10x
// GEM-well suffix ("-1", "-2": Cell Ranger adds it, Seurat or a hand-made table often drops it),
// when that match is unambiguous: "AAAC" is not matched when the data has both "AAAC-1" and
// "AAAC-2" (two wells), nor are "AAAC-1" and "AAAC-2" both matched to one cell "AAAC". A cell that
// some row names exactly is never matched by suffix. Every labels join (the reference's labels,
// a query's known types, a folder's labels.tsv) goes through this one rule.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scpt::io {

struct BarcodeMatch {
    std::vector<int64_t> row_of_cell;  // per cell: the row naming it, -1 = none
    int64_t rows = 0;
    int64_t rows_matched = 0;     // rows that name at least one cell
    int64_t suffix_matched = 0;   // of those, rows matched only once a GEM-well suffix was removed
    int64_t ambiguous = 0;        // rows that, without the suffix, fit cells of several wells (or share a cell)
    int64_t unmatched = 0;        // rows that name no cell at all
    std::string unmatched_example;  // the first such row's barcode
    // Filled when suffix_matched or ambiguous: what happened, prefixed with `what`, with counts
    // and an example, for the user to check.
    std::vector<std::string> warnings;
};

// `rows`: the barcodes the file `what` names, in file order; `cells`: the matrix's barcodes.
BarcodeMatch match_barcodes(const std::vector<std::string>& cells, const std::vector<std::string_view>& rows,
                            const std::string& what);

// The barcode without its 10x GEM-well suffix ("-" and 1 to 3 digits at the end), or "" when it
// has none.
std::string_view without_well_suffix(std::string_view barcode);

// 2700 -> "2,700", for counts in messages.
std::string count_text(int64_t n);

}  // namespace scpt::io
