#include "core/io/gene_tables.hpp"

#include <algorithm>

#include "core/data/gene_names.hpp"
#include "core/io/gzip.hpp"
#include "core/io/table.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"
#include "core/util/text.hpp"

namespace scpt::io {

OrthologTable parse_orthologs(std::string_view bytes, const std::string& what) {
    std::string store;
    std::string_view text =
        gunzip_if_gzip(bytes, what, Limits{}.max_inflated_bytes, store) ? std::string_view(store) : bytes;
    TextTable t = parse_table(text, what);
    if (t.rows.empty()) throw input_error(what, "is empty");
    int hcol = -1, mcol = -1;
    const auto& head = t.rows[0];
    for (size_t k = 0; k < head.size(); ++k) {
        std::string l = to_lower(head[k]);
        if (hcol < 0 && l.find("human") != std::string::npos) hcol = int(k);
        else if (mcol < 0 && l.find("mouse") != std::string::npos && l.find("lemur") == std::string::npos) mcol = int(k);
    }
    size_t first = 1;
    if (hcol < 0 || mcol < 0) {
        size_t width = 0;
        for (size_t r = 0; r < std::min<size_t>(t.rows.size(), 5); ++r) width = std::max(width, t.rows[r].size());
        if (width != 2)
            throw input_error(what, "is not an ortholog table: expected a header with 'human' and 'mouse' columns, "
                                    "or two columns 'human<TAB>mouse'");
        hcol = 0;
        mcol = 1;
        first = 0;
    }
    OrthologTable table;
    for (size_t r = first; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        if (int(row.size()) <= std::max(hcol, mcol)) continue;  // a side is missing
        const std::string& h = row[size_t(hcol)];
        const std::string& m = row[size_t(mcol)];
        if (h.empty() || m.empty()) continue;
        table.add(h, m);
    }
    if (table.size() == 0) throw input_error(what, "has no human/mouse pair");
    if (table.repeats() > 0)
        table.add_note(what + ": " + std::to_string(table.repeats()) +
                       " rows repeat a gene already paired; the first pair of each gene was kept");
    return table;
}

GeneIdTable parse_gene_id_table(std::string_view bytes, const std::string& what) {
    std::string store;
    std::string_view text =
        gunzip_if_gzip(bytes, what, Limits{}.max_inflated_bytes, store) ? std::string_view(store) : bytes;
    TextTable t = parse_table(text, what);
    GeneIdTable table;
    for (size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        if (row.size() < 2) throw input_error(what, "line " + std::to_string(t.line_numbers[r]) + ": expected 'ensembl_id,symbol'");
        if (!is_ensembl_gene_id(row[0])) {
            if (r == 0) continue;  // header
            throw input_error(what, "line " + std::to_string(t.line_numbers[r]) + ": " + quote(row[0]) +
                                        " is not an Ensembl gene id");
        }
        if (!row[1].empty()) table.add(row[0], row[1]);
    }
    if (table.size() == 0) throw input_error(what, "has no 'ensembl_id,symbol' rows");
    return table;
}

}  // namespace scpt::io
