// Human Ensembl gene id <-> symbol table from bytes, e.g. ../shared/data/ref/GENCODEv44_Gene_id2name.csv
// ("ENSG00000223972,DDX11L1", no header; a header line is skipped). Used to name genes of
// datasets that only carry Ensembl ids and to fill ModelGene::ensembl_id from symbols.
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

GeneIdTable parse_gene_id_table(std::string_view bytes, const std::string& what);

}  // namespace scpt
