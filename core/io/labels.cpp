#include "core/io/labels.hpp"

#include <algorithm>
#include <unordered_set>

#include "core/io/barcode_match.hpp"
#include "core/io/line_stream.hpp"
#include "core/io/table.hpp"
#include "core/util/text.hpp"
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
    std::vector<std::string> first, fields;
    char sep = 0;
    size_t col = 1, widest = 0;
    bool header = false;
    std::vector<LabelPair> out;
    std::unordered_set<std::string> seen, classes;
    auto on_line = [&](std::string_view line, int64_t no) {
        if (trim(line).empty()) return;
        if (!sep) sep = sniff_line_separator(line);
        if (std::count(line.begin(), line.end(), sep) >= kMaxTableFields)
            throw input_error(what, "line " + std::to_string(no) + " has more than " + std::to_string(kMaxTableFields) +
                                        " fields: this is not a labels file");
        if (!split_quoted(line, sep, fields))
            throw input_error(what, "line " + std::to_string(no) + ": a quoted field is not closed");
        for (auto& f : fields) f = std::string(trim(f));
        widest = std::max(widest, fields.size());
        if (first.empty() && out.empty()) {  // the first line: choose the column, detect a header
            first = fields;
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
            if (!header) header = is_id_title(first[0]) || (first.size() > col && is_label_title(first[col]));
            if (header) return;
        }
        if (fields.size() > 1 && col >= fields.size())
            throw input_error(what, "line " + std::to_string(no) + " has " + std::to_string(fields.size()) +
                                        " fields; the label column is number " + std::to_string(col + 1));
        LabelPair p;
        p.barcode = fields[0];
        p.label = col < fields.size() ? fields[col] : std::string();
        if (p.barcode.empty()) throw input_error(what, "line " + std::to_string(no) + " has no barcode");
        if (!seen.insert(p.barcode).second)
            throw input_error(what, "line " + std::to_string(no) + ": barcode " + quote(p.barcode) + " appears more than once");
        if (is_missing_text(p.label)) p.label.clear();
        if (!p.label.empty() && classes.insert(p.label).second)
            Limits::check_count(what, "distinct labels", int64_t(classes.size()), o.limits.max_label_classes);
        out.push_back(std::move(p));
        Limits::check_count(what, "labelled cells", int64_t(out.size()), o.limits.max_cells);
    };
    for_each_text_line(bytes, what, o.limits, on_line);
    if (first.empty()) throw input_error(what, "is empty (expected lines 'barcode<TAB>label')");
    if (widest < 2) throw input_error(what, "has a single column: expected 'barcode<TAB>label' on each line");
    if (out.empty()) throw input_error(what, "has a header but no labels");
    return out;
}

void add_folder_labels(CellMatrix& m, std::string_view bytes, const std::string& what, const Limits& limits,
                       std::vector<std::string>* notes) {
    if (m.find_obs("label")) return;
    LabelsOptions lo;
    lo.limits = limits;
    const std::vector<LabelPair> pairs = parse_labels(bytes, what, lo);
    std::vector<std::string_view> names;
    names.reserve(pairs.size());
    for (const auto& p : pairs) names.push_back(p.barcode);
    BarcodeMatch match = match_barcodes(m.barcodes, names, what);
    if (notes) notes->insert(notes->end(), match.warnings.begin(), match.warnings.end());
    if (match.rows_matched == 0) {
        if (notes) notes->push_back(what + ": no barcode matches a cell of the matrix; not used");
        return;
    }
    std::vector<std::string> v(m.barcodes.size());
    for (size_t c = 0; c < v.size(); ++c)
        if (match.row_of_cell[c] >= 0) v[c] = pairs[size_t(match.row_of_cell[c])].label;
    m.obs.push_back(make_obs_column("label", v));
}

}  // namespace scpt::io
