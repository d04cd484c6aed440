#include "core/io/barcode_match.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/util/text.hpp"

namespace scpt::io {

std::string_view without_well_suffix(std::string_view b) {
    size_t digits = 0;
    while (digits < b.size() && digits < 4 && b[b.size() - 1 - digits] >= '0' && b[b.size() - 1 - digits] <= '9') ++digits;
    if (digits == 0 || digits > 3 || digits + 1 >= b.size() || b[b.size() - 1 - digits] != '-') return {};
    return b.substr(0, b.size() - 1 - digits);
}

std::string count_text(int64_t n) {
    std::string d = std::to_string(n < 0 ? -n : n), out;
    for (size_t i = 0; i < d.size(); ++i) {
        if (i && (d.size() - i) % 3 == 0) out += ',';
        out += d[i];
    }
    return n < 0 ? "-" + out : out;
}

namespace {

// The suffixes removed and from which side, for the warning.
struct SuffixNotes {
    std::vector<std::string> suffixes;  // distinct, the first few
    bool from_cells = false, from_rows = false;
    std::string example;

    void add(std::string_view row, std::string_view cell) {
        const bool cell_longer = cell.size() > row.size();
        const std::string_view longer = cell_longer ? cell : row;
        const std::string suffix(longer.substr(cell_longer ? row.size() : cell.size()));
        (cell_longer ? from_cells : from_rows) = true;
        if (example.empty()) example = quote(row) + " = " + quote(cell);
        if (suffixes.size() < 4 && std::find(suffixes.begin(), suffixes.end(), suffix) == suffixes.end())
            suffixes.push_back(suffix);
    }
    std::string text(const std::string& what) const {
        std::string list;
        for (size_t k = 0; k < suffixes.size() && k < 3; ++k) list += (k ? ", " : "") + quote(suffixes[k]);
        if (suffixes.size() > 3) list += ", ...";
        const std::string side = from_cells && from_rows ? "both files' barcodes"
                                 : from_cells           ? "the data's barcodes"
                                                        : "the barcodes of " + what;
        return "the 10x suffix" + std::string(suffixes.size() > 1 ? "es " : " ") + list + " from " + side + " (e.g. " +
               example + ")";
    }
};

}  // namespace

BarcodeMatch match_barcodes(const std::vector<std::string>& cells, const std::vector<std::string_view>& rows,
                            const std::string& what) {
    BarcodeMatch m;
    m.rows = int64_t(rows.size());
    m.row_of_cell.assign(cells.size(), -1);
    // Cells by barcode; a barcode held by several cells chains them through next_same.
    std::unordered_map<std::string_view, int64_t> first_cell;
    std::vector<int64_t> next_same(cells.size(), -1);
    first_cell.reserve(cells.size());
    for (size_t i = cells.size(); i-- > 0;) {
        auto [it, added] = first_cell.emplace(cells[i], int64_t(i));
        if (!added) next_same[i] = it->second, it->second = int64_t(i);
    }
    auto claim = [&](int64_t first, int64_t row) {
        for (int64_t c = first; c >= 0; c = next_same[size_t(c)]) m.row_of_cell[size_t(c)] = row;
    };

    std::vector<int64_t> left;  // rows without an exact match
    for (size_t r = 0; r < rows.size(); ++r) {
        auto it = first_cell.find(rows[r]);
        if (it == first_cell.end()) { left.push_back(int64_t(r)); continue; }
        claim(it->second, int64_t(r));
        ++m.rows_matched;
    }

    // Per barcode without its suffix: the cell barcode with a suffix it stands for, and how many
    // distinct ones there are (several: several GEM wells).
    struct Wells {
        std::string_view first, second;
        int64_t count = 0;
    };
    std::unordered_map<std::string_view, Wells> wells;
    for (size_t i = 0; i < cells.size(); ++i) {  // in cell order: the examples do not depend on hashing
        const std::string_view barcode = cells[i];
        if (first_cell.at(barcode) != int64_t(i)) continue;  // a repeated barcode: counted once
        const std::string_view base = without_well_suffix(barcode);
        if (base.empty()) continue;
        Wells& w = wells[base];
        if (w.count < 2) (w.count == 0 ? w.first : w.second) = barcode;
        ++w.count;
    }

    // A leftover row's target: the one cell barcode it matches once a suffix is removed.
    enum class Fate : uint8_t { Unmatched, Matched, Ambiguous };
    std::vector<Fate> fate(left.size(), Fate::Unmatched);
    std::vector<std::string_view> target(left.size());
    std::unordered_map<std::string_view, int64_t> claims;
    std::string ambiguous_example;
    for (size_t k = 0; k < left.size(); ++k) {
        const std::string_view row = rows[size_t(left[k])];
        const std::string_view base = without_well_suffix(row);
        if (base.empty()) {  // the row has no suffix: a cell with one?
            auto w = wells.find(row);
            if (w == wells.end()) continue;
            if (w->second.count > 1) {
                fate[k] = Fate::Ambiguous;
                if (ambiguous_example.empty())
                    ambiguous_example = quote(row) + " fits " + quote(w->second.first) + " and " + quote(w->second.second);
                continue;
            }
            target[k] = w->second.first;
        } else if (first_cell.count(base)) {  // the row has a suffix the cell lacks
            target[k] = base;
        } else {
            continue;
        }
        if (m.row_of_cell[size_t(first_cell.at(target[k]))] >= 0) target[k] = {};  // named exactly: exact wins
        else ++claims[target[k]];
    }
    SuffixNotes notes;
    for (size_t k = 0; k < left.size(); ++k) {
        if (target[k].empty()) continue;
        const std::string_view row = rows[size_t(left[k])];
        if (claims[target[k]] > 1) {
            fate[k] = Fate::Ambiguous;
            if (ambiguous_example.empty())
                ambiguous_example = quote(target[k]) + " is fitted by " + quote(row) + " and another row";
            continue;
        }
        fate[k] = Fate::Matched;
        claim(first_cell.at(target[k]), left[k]);
        notes.add(row, target[k]);
    }
    for (size_t k = 0; k < left.size(); ++k) {
        if (fate[k] == Fate::Matched) ++m.suffix_matched;
        else if (fate[k] == Fate::Ambiguous) ++m.ambiguous;
        else if (m.unmatched++ == 0) m.unmatched_example = std::string(rows[size_t(left[k])]);
    }
    m.rows_matched += m.suffix_matched;

    if (m.suffix_matched > 0)
        m.warnings.push_back(what + ": " + count_text(m.suffix_matched) + " barcode" + (m.suffix_matched > 1 ? "s" : "") +
                             " matched after removing " + notes.text(what));
    if (m.ambiguous > 0)
        m.warnings.push_back(what + ": " + count_text(m.ambiguous) + " barcode" + (m.ambiguous > 1 ? "s" : "") +
                             " fit cells of several 10x GEM wells once the suffix (-1, -2, ...) is removed (e.g. " +
                             ambiguous_example + "), so they were not used: give the barcodes with their suffix");
    return m;
}

}  // namespace scpt::io
