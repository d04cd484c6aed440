#include "core/data/vocabulary.hpp"

#include <unordered_map>
#include <unordered_set>

#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt {

Vocabulary build_vocabulary(const std::vector<VocabularySource>& sources, const OrthologTable* orth,
                            const GeneIdTable* ids, const VocabularyOptions& o) {
    Vocabulary v;
    std::vector<ModelGene> genes;
    std::vector<int64_t> dataset_count;
    std::unordered_map<std::string, size_t> index;  // canonical key -> genes index
    for (const auto& src : sources) {
        const CellMatrix& m = *src.matrix;
        if (looks_like_placeholder_names(m.gene_symbols) && looks_like_placeholder_names(m.gene_ids))
            throw input_error(src.name, "has no gene names (" + (m.gene_symbols.empty() ? std::string("none") : quote(m.gene_symbols[0])) +
                                            ", ...): it cannot share a vocabulary with other datasets");
        Species sp = src.species != Species::Unknown ? src.species : guess_species(m.gene_ids, m.gene_symbols);
        std::unordered_set<size_t> seen_here;
        int64_t unnamed = 0, mouse_only = 0;
        for (int64_t i = 0; i < m.n_genes; ++i) {
            std::string sym = m.gene_symbols[size_t(i)];
            const std::string& id = m.gene_ids[size_t(i)];
            if (is_ensembl_gene_id(sym)) {  // only an id: name it if we can
                const std::string* s = ids ? ids->symbol_of(sym) : nullptr;
                if (!s && is_ensembl_gene_id(id) && ids) s = ids->symbol_of(id);
                if (!s) { ++unnamed; continue; }
                sym = *s;
            }
            ModelGene g;
            std::string key;
            if (sp == Species::Mouse) {
                g.mouse_symbol = sym;
                const std::string* h = orth ? orth->human_of(sym) : nullptr;
                if (h) {
                    g.human_symbol = *h;
                    key = to_upper(*h);
                } else {
                    key = "MOUSE:" + to_upper(sym);
                    ++mouse_only;
                }
            } else {
                g.human_symbol = sym;
                if (orth)
                    if (const std::string* mm = orth->mouse_of(sym)) g.mouse_symbol = *mm;
                key = to_upper(sym);
                if (is_human_ensembl_id(id)) g.ensembl_id = std::string(strip_ensembl_version(id));
            }
            if (g.ensembl_id.empty() && ids && !g.human_symbol.empty())
                if (const std::string* e = ids->id_of(g.human_symbol)) g.ensembl_id = *e;
            auto [it, fresh] = index.emplace(key, genes.size());
            if (fresh) {
                genes.push_back(std::move(g));
                dataset_count.push_back(0);
            } else {
                ModelGene& have = genes[it->second];  // fill names another dataset lacked
                if (have.human_symbol.empty()) have.human_symbol = g.human_symbol;
                if (have.mouse_symbol.empty()) have.mouse_symbol = g.mouse_symbol;
                if (have.ensembl_id.empty()) have.ensembl_id = g.ensembl_id;
            }
            if (seen_here.insert(it->second).second) ++dataset_count[it->second];
        }
        if (unnamed > 0)
            v.notes.push_back(src.name + ": " + std::to_string(unnamed) +
                              " genes named only by an Ensembl id that no table translates were left out");
        if (mouse_only > 0)
            v.notes.push_back(src.name + ": " + std::to_string(mouse_only) +
                              " mouse genes have no one-to-one human ortholog and stay mouse-only");
    }
    for (size_t i = 0; i < genes.size(); ++i)
        if (dataset_count[i] >= o.min_datasets) v.genes.push_back(std::move(genes[i]));
    if (v.genes.empty()) throw InputError("no gene is shared by at least " + std::to_string(o.min_datasets) + " datasets");
    if (int64_t(v.genes.size()) < int64_t(genes.size()))
        v.notes.push_back("kept " + std::to_string(v.genes.size()) + " of " + std::to_string(genes.size()) +
                          " genes (present in at least " + std::to_string(o.min_datasets) + " datasets)");
    for (const auto& src : sources) {
        GeneMatchOptions mo;
        mo.orthologs = orth;
        mo.min_matched = 0;
        mo.warn_fraction = 0;
        mo.data_name = src.name;
        mo.vocab_name = "the shared vocabulary";
        v.matches.push_back(match_genes(*src.matrix, v.genes, mo));
    }
    return v;
}

}  // namespace scpt
