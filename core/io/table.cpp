#include "core/io/table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/io/barcode_match.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"

namespace scpt::io {

char sniff_separator(std::string_view text) {
    std::string_view first;
    for_each_line(text.substr(0, 1 << 16), [&](std::string_view line, int64_t) {
        if (first.empty() && !trim(line).empty()) first = line;
    });
    return sniff_line_separator(first);
}

char sniff_line_separator(std::string_view first) {
    if (first.find('\t') != std::string_view::npos) return '\t';
    if (first.find(',') != std::string_view::npos) return ',';
    if (first.find(';') != std::string_view::npos) return ';';
    return '\t';
}

TextTable parse_table(std::string_view text, const std::string& what, char sep) {
    TextTable t;
    t.sep = sep ? sep : sniff_separator(text);
    std::vector<std::string> fields;
    for_each_line(text, [&](std::string_view line, int64_t no) {
        if (trim(line).empty()) return;
        // Counted before splitting: a line of a million tabs would become a million strings.
        if (std::count(line.begin(), line.end(), t.sep) >= kMaxTableFields)
            throw input_error(what, "line " + std::to_string(no) + " has more than " + std::to_string(kMaxTableFields) +
                                        " fields: this is not a metadata table");
        if (!split_quoted(line, t.sep, fields))
            throw input_error(what, "line " + std::to_string(no) + ": a quoted field is not closed");
        for (auto& f : fields) f = std::string(trim(f));
        t.rows.push_back(fields);
        t.line_numbers.push_back(no);
    });
    return t;
}

bool is_missing_text(std::string_view s) {
    s = trim(s);
    return s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "null" || s == "None" || s == "<NA>";
}

ObsColumn make_obs_column(std::string name, const std::vector<std::string>& values) {
    ObsColumn col;
    col.name = std::move(name);
    bool numeric = true, any = false;
    std::vector<double> nums(values.size(), std::nan(""));
    for (size_t i = 0; i < values.size() && numeric; ++i) {
        if (is_missing_text(values[i])) continue;
        any = true;
        double x;
        if (parse_number(values[i], x) && std::isfinite(x)) nums[i] = x;
        else numeric = false;
    }
    if (numeric && any) {
        col.numbers = std::move(nums);
        return col;
    }
    std::map<std::string, int32_t> level_of;
    for (const auto& v : values)
        if (!is_missing_text(v)) level_of.emplace(v, 0);
    int32_t k = 0;
    for (auto& [name_, code] : level_of) {
        code = k++;
        col.levels.push_back(name_);
    }
    col.codes.resize(values.size(), -1);
    for (size_t i = 0; i < values.size(); ++i)
        if (!is_missing_text(values[i])) col.codes[i] = level_of[values[i]];
    return col;
}

std::vector<ObsColumn> read_obs_table(std::string_view text, const std::string& what,
                                      const std::vector<std::string>& barcodes, std::vector<std::string>* notes) {
    TextTable t = parse_table(text, what);
    if (t.rows.empty()) throw input_error(what, "is empty");
    const auto& head = t.rows[0];
    size_t width = t.rows.size() > 1 ? t.rows[1].size() : head.size();
    // Header with one name fewer than the data rows: the barcode column is unnamed (R's write.table).
    size_t offset = head.size() + 1 == width ? 0 : 1;
    if (head.size() != width && head.size() + 1 != width)
        throw input_error(what, "the header has " + std::to_string(head.size()) + " fields but line " +
                                    std::to_string(t.line_numbers[1]) + " has " + std::to_string(width));
    size_t ncol = width - 1;
    // Values are held per column and cell: bound the product before allocating it.
    constexpr int64_t kMaxObsValues = 200'000'000;
    if (Limits::product(int64_t(ncol), int64_t(barcodes.size())) > kMaxObsValues)
        throw input_error(what, "has " + std::to_string(ncol) + " columns for " + std::to_string(barcodes.size()) +
                                    " cells, more metadata than scpt holds (" + std::to_string(kMaxObsValues) + " values)");
    std::vector<std::string_view> names;
    for (size_t r = 1; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        if (row.size() != width)
            throw input_error(what, "line " + std::to_string(t.line_numbers[r]) + " has " + std::to_string(row.size()) +
                                        " fields, expected " + std::to_string(width));
        names.push_back(row[0]);
    }
    // The labels files' rule: exact barcodes, then the 10x GEM-well suffix (io/barcode_match.hpp).
    const BarcodeMatch match = match_barcodes(barcodes, names, what);
    if (match.rows_matched == 0)
        throw input_error(what, "none of its " + std::to_string(t.rows.size() - 1) +
                                    " rows names a cell of the matrix (first row: " + quote(t.rows.size() > 1 ? t.rows[1][0] : "") + ")" +
                                    (match.warnings.empty() ? std::string() : ": " + match.warnings[0].substr(what.size() + 2)));
    std::vector<std::vector<std::string>> values(ncol, std::vector<std::string>(barcodes.size()));
    size_t found = 0;
    for (size_t cell = 0; cell < barcodes.size(); ++cell) {
        const int64_t r = match.row_of_cell[cell];
        if (r < 0) continue;
        ++found;
        for (size_t c = 0; c < ncol; ++c) values[c][cell] = t.rows[size_t(r) + 1][c + 1];
    }
    if (notes) notes->insert(notes->end(), match.warnings.begin(), match.warnings.end());
    if (notes && match.unmatched)
        notes->push_back(what + ": " + std::to_string(match.unmatched) + " rows name cells that are not in the matrix (ignored)");
    if (notes && found < barcodes.size())
        notes->push_back(what + ": " + std::to_string(barcodes.size() - found) + " cells have no row (missing values)");
    std::vector<ObsColumn> out;
    for (size_t c = 0; c < ncol; ++c) {
        std::string name = offset == 0 ? head[c] : head[c + 1];
        if (name.empty()) name = "column" + std::to_string(c + 2);
        out.push_back(make_obs_column(name, values[c]));
    }
    return out;
}

}  // namespace scpt::io
