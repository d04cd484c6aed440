// Human Ensembl gene id <-> symbol table (parsed from a file such as
// ../shared/data/ref/GENCODEv44_Gene_id2name.csv by io::parse_gene_id_table, core/io/gene_tables.hpp).
// Used to name genes of datasets that only carry Ensembl ids and to fill ModelGene::ensembl_id from symbols.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>

namespace scpt {

class GeneIdTable {
public:
    // Symbol of an Ensembl id (version suffix ignored), or nullptr.
    const std::string* symbol_of(std::string_view id) const;
    // First Ensembl id listed for a symbol (any case), or nullptr.
    const std::string* id_of(std::string_view symbol) const;
    size_t size() const { return symbol_by_id_.size(); }
    void add(std::string id, std::string symbol);

private:
    std::unordered_map<std::string, std::string> symbol_by_id_;  // id without version
    std::unordered_map<std::string, std::string> id_by_symbol_;  // upper-case symbol
};

}  // namespace scpt
