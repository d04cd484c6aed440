#include "core/annotate/reference_labels.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/io/barcode_match.hpp"
#include "core/io/table.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {

bool is_unlabelled(const std::string& label, const LabelRules& rules) {
    if (io::is_missing_text(label)) return true;
    const std::string l = to_lower(trim(label));
    return std::find(rules.unlabelled.begin(), rules.unlabelled.end(), l) != rules.unlabelled.end();
}

CellLabels join_labels(const std::vector<std::string>& barcodes, const std::vector<io::LabelPair>& rows,
                       const std::string& what, const std::string& data) {
    std::vector<std::string_view> names;
    names.reserve(rows.size());
    for (const auto& r : rows) names.push_back(r.barcode);
    io::BarcodeMatch match = io::match_barcodes(barcodes, names, what);
    CellLabels out;
    out.labels.assign(barcodes.size(), std::string());
    for (size_t c = 0; c < barcodes.size(); ++c)
        if (match.row_of_cell[c] >= 0) out.labels[c] = rows[size_t(match.row_of_cell[c])].label;
    out.rows = match.rows;
    out.rows_matched = match.rows_matched;
    out.warnings = std::move(match.warnings);
    if (match.unmatched > 0 && out.rows_matched > 0)
        out.warnings.push_back(what + ": " + std::to_string(match.unmatched) + " of " + std::to_string(out.rows) +
                               " rows name barcodes that are not cells of " + data + " (e.g. " +
                               quote(match.unmatched_example) + "); they were ignored");
    return out;
}

CellLabels labels_for_cells(const std::vector<std::string>& barcodes, const std::vector<io::LabelPair>& rows,
                            const std::string& what, const std::string& data) {
    CellLabels out = join_labels(barcodes, rows, what, data);
    if (out.rows_matched == 0) {
        // With no match the only warning can be the one about barcodes that fit several GEM wells.
        if (!out.warnings.empty())
            throw input_error(what, "none of its " + std::to_string(out.rows) + " barcodes is a cell of " + data + ": " +
                                        out.warnings[0].substr(what.size() + 2));
        throw input_error(what, "none of its " + std::to_string(out.rows) + " barcodes is a cell of " + data +
                                    " (e.g. " + quote(rows.empty() ? std::string() : rows[0].barcode) + " in the labels, " +
                                    quote(barcodes.empty() ? std::string() : barcodes[0]) + " in the data)");
    }
    return out;
}

ObsColumn labels_column(const CellLabels& joined, const std::vector<io::LabelPair>& rows, const std::string& name) {
    ObsColumn col;
    col.name = name;
    col.codes.assign(joined.labels.size(), -1);
    const std::unordered_set<std::string> used(joined.labels.begin(), joined.labels.end());
    std::unordered_map<std::string, int32_t> level_at;
    for (const auto& p : rows)
        if (!p.label.empty() && used.count(p.label) && level_at.emplace(p.label, int32_t(col.levels.size())).second)
            col.levels.push_back(p.label);
    for (size_t c = 0; c < joined.labels.size(); ++c)
        if (!joined.labels[c].empty()) col.codes[c] = level_at.at(joined.labels[c]);
    return col;
}

CellLabels labels_from_column(const CellMatrix& m, const std::string& column, const std::string& data) {
    const ObsColumn* c = m.find_obs(column);
    if (!c) {
        std::string names;
        for (const auto& o : m.obs) names += (names.empty() ? "" : ", ") + quote(o.name);
        throw input_error(data, "has no metadata column " + quote(column) +
                                    (names.empty() ? std::string(" (it has no per-cell metadata)")
                                                   : " (its columns: " + names + ")"));
    }
    if (c->is_numeric() && c->level_count() > 200)
        throw input_error(data, "column " + quote(column) + " holds " + std::to_string(c->level_count()) +
                                    " distinct numbers, not cell types");
    CellLabels out;
    out.labels.resize(size_t(m.n_cells));
    for (int64_t i = 0; i < m.n_cells; ++i) out.labels[size_t(i)] = c->text(i);
    out.rows = out.rows_matched = m.n_cells;
    return out;
}

ReferenceClasses reference_classes(const std::vector<std::string>& labels, const std::string& what,
                                   const LabelRules& rules) {
    std::map<std::string, int64_t> count;  // sorted by byte order
    for (const auto& l : labels)
        if (!is_unlabelled(l, rules)) ++count[l];
    ReferenceClasses r;
    if (count.empty())
        throw input_error(what, "no cell has a label (the reference needs labelled cells of at least two types)");
    if (count.size() == 1)
        throw input_error(what, "every labelled cell (" + std::to_string(count.begin()->second) + ") has the same type " +
                                    quote(count.begin()->first) +
                                    "; at least two cell types are needed to tell cells apart");
    if (int64_t(count.size()) > rules.max_classes)
        throw input_error(what, "has " + std::to_string(count.size()) + " distinct labels, above the limit of " +
                                    std::to_string(rules.max_classes) + " (is it the right column?)");
    std::map<std::string, int32_t> index;
    std::vector<std::string> single;
    for (const auto& [name, n] : count) {
        index[name] = int32_t(r.names.size());
        r.names.push_back(name);
        r.counts.push_back(n);
        r.labelled += n;
        if (n == 1) single.push_back(name);
    }
    r.codes.assign(labels.size(), -1);
    for (size_t i = 0; i < labels.size(); ++i)
        if (!is_unlabelled(labels[i], rules)) r.codes[i] = index[labels[i]];
    if (!single.empty()) {
        std::string list;
        for (size_t k = 0; k < single.size() && k < 5; ++k) list += (k ? ", " : "") + quote(single[k]);
        if (single.size() > 5) list += ", ...";
        r.warnings.push_back(what + ": " + std::to_string(single.size()) + " cell type" + (single.size() > 1 ? "s have" : " has") +
                             " a single labelled cell (" + list +
                             "): it is used for training only, so its predictions are unvalidated");
    }
    return r;
}

}  // namespace scpt::annotate
