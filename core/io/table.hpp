// Small delimited text tables (metadata, labels, gene tables): every cell kept as text.
// For expression matrices in CSV/TSV see delimited.hpp, which parses numbers without this copy.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/data/cell_matrix.hpp"

namespace scpt::io {

// The separator of a delimited file from its first non-empty line: tab if it has one, else
// comma, else semicolon, else tab (a one-column file).
char sniff_separator(std::string_view text);
// The same decision from the first non-empty line itself.
char sniff_line_separator(std::string_view first_line);

struct TextTable {
    char sep = '\t';
    std::vector<std::vector<std::string>> rows;  // every non-empty line, fields unquoted
    std::vector<int64_t> line_numbers;            // 1-based source line of each row
};

// Most fields on one line of a table (labels, metadata): such files have tens of columns.
constexpr int64_t kMaxTableFields = 100000;

// Splits text into rows of fields (quotes honoured). Empty lines are skipped.
// Throws InputError naming `what` and the line for an unterminated quote or too many fields.
TextTable parse_table(std::string_view text, const std::string& what, char sep = 0);

// True when `s` is a missing-value marker: "", NA, NaN, nan, null, None.
bool is_missing_text(std::string_view s);

// Per-cell metadata from a table whose first column is the cell barcode and whose first row is a
// header (with or without a name for the barcode column, as R's write.table leaves it out).
// Rows are matched to `barcodes`; cells missing from the table get missing values. Columns whose
// values all parse as numbers become numeric, others categorical (levels sorted).
// Notes (cells not found, rows for unknown barcodes) are appended to *notes.
std::vector<ObsColumn> read_obs_table(std::string_view text, const std::string& what,
                                      const std::vector<std::string>& barcodes, std::vector<std::string>* notes);

// Builds one column from per-cell text values ("" = missing): numeric if every non-missing value
// is a number, else categorical with sorted levels.
ObsColumn make_obs_column(std::string name, const std::vector<std::string>& values);

}  // namespace scpt::io
