#include "core/data/gene_id_table.hpp"

#include "core/data/gene_names.hpp"
#include "core/io/gzip.hpp"
#include "core/io/table.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"

namespace scpt {

const std::string* GeneIdTable::symbol_of(std::string_view id) const {
    auto it = symbol_by_id_.find(std::string(strip_ensembl_version(id)));
    return it == symbol_by_id_.end() ? nullptr : &it->second;
}

const std::string* GeneIdTable::id_of(std::string_view symbol) const {
    auto it = id_by_symbol_.find(to_upper(symbol));
    return it == id_by_symbol_.end() ? nullptr : &it->second;
}

void GeneIdTable::add(std::string id, std::string symbol) {
    std::string bare(strip_ensembl_version(id));
    id_by_symbol_.emplace(to_upper(symbol), bare);
    symbol_by_id_.emplace(std::move(bare), std::move(symbol));
}

GeneIdTable parse_gene_id_table(std::string_view bytes, const std::string& what) {
    std::string store;
    std::string_view text =
        io::gunzip_if_gzip(bytes, what, Limits{}.max_inflated_bytes, store) ? std::string_view(store) : bytes;
    io::TextTable t = io::parse_table(text, what);
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

}  // namespace scpt
