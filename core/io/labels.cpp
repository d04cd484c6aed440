#include "core/io/labels.hpp"

#include <algorithm>
#include <unordered_set>

#include "core/io/gzip.hpp"
#include "core/io/table.hpp"
#include "core/io/text.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"

namespace scpt::io {

namespace {
bool is_id_title(const std::string& s) {
    std::string l = to_lower(s);
    return l.empty() || l == "barcode" || l == "barcodes" || l == "cell" || l == "cells" || l == "cell_id" ||
           l == "cellid" || l == "cell_name" || l == "cell_barcode" || l == "id" || l == "index" || l == "obs_names" ||
           l == "name" || l == "sample" || l == "x";
}
bool is_label_title(const std::string& s) {
    std::string l = to_lower(s);
    return l == "label" || l == "labels" || l == "cell_type" || l == "celltype" || l == "cell.type" || l == "type" ||
           l == "cluster" || l == "clusters" || l == "annotation" || l == "cell_ontology_class" || l == "class" ||
           l == "celltypes" || l == "cell_types" || l == "identity" || l == "ident";
}
}  // namespace

std::vector<LabelPair> parse_labels(std::string_view bytes, const std::string& what, const LabelsOptions& o) {
    std::string store;
    std::string_view text = gunzip_if_gzip(bytes, what, Limits{}.max_inflated_bytes, store) ? std::string_view(store) : bytes;
    TextTable t = parse_table(text, what);
    if (t.rows.empty()) throw input_error(what, "is empty (expected lines 'barcode<TAB>label')");
    const auto& first = t.rows[0];
    // The label column.
    size_t col = 1;
    bool header = false;
    if (!o.column.empty()) {
        double num;
        if (parse_number(o.column, num) && num >= 1 && num == double(int64_t(num))) {
            col = size_t(num) - 1;
        } else {
            bool found = false;
            for (size_t k = 0; k < first.size(); ++k)
                if (first[k] == o.column) { col = k; found = true; break; }
            if (!found) {
                std::string names;
                for (auto& f : first) names += (names.empty() ? "" : ", ") + quote(f);
                throw input_error(what, "has no column named " + quote(o.column) + " in its first line (" + names + ")");
            }
            header = true;
        }
    }
    size_t widest = 0;
    for (const auto& row : t.rows) widest = std::max(widest, row.size());
    if (widest < 2) throw input_error(what, "has a single column: expected 'barcode<TAB>label' on each line");
    if (!header) header = is_id_title(first[0]) || (first.size() > col && is_label_title(first[col]));
    std::vector<LabelPair> out;
    std::unordered_set<std::string> seen;
    for (size_t r = header ? 1 : 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        if (row.size() > 1 && col >= row.size())
            throw input_error(what, "line " + std::to_string(t.line_numbers[r]) + " has " + std::to_string(row.size()) +
                                        " fields; the label column is number " + std::to_string(col + 1));
        LabelPair p;
        p.barcode = row[0];
        p.label = col < row.size() ? row[col] : std::string();
        if (p.barcode.empty()) throw input_error(what, "line " + std::to_string(t.line_numbers[r]) + " has no barcode");
        if (!seen.insert(p.barcode).second)
            throw input_error(what, "line " + std::to_string(t.line_numbers[r]) + ": barcode " + quote(p.barcode) +
                                        " appears more than once");
        if (is_missing_text(p.label)) p.label.clear();
        out.push_back(std::move(p));
    }
    if (out.empty()) throw input_error(what, "has a header but no labels");
    return out;
}

}  // namespace scpt::io
