#include "core/data/gene_id_table.hpp"

#include "core/data/gene_names.hpp"
#include "core/util/text.hpp"

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

}  // namespace scpt
