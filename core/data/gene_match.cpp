#include "core/data/gene_match.hpp"

#include <unordered_map>

#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt {

std::string GeneMatch::summary() const {
    return "matched " + std::to_string(matched) + " of " + std::to_string(total) + " genes to " +
           std::to_string(matched) + " of " + std::to_string(vocab_size) + " vocabulary genes";
}

GeneMatch match_genes(const std::vector<std::string>& ids, const std::vector<std::string>& symbols,
                      const std::vector<ModelGene>& vocab, const GeneMatchOptions& o) {
    GeneMatch r;
    r.total = int64_t(symbols.size());
    r.vocab_size = int64_t(vocab.size());
    r.column_to_vocab.assign(symbols.size(), -1);
    if (looks_like_placeholder_names(symbols) && (ids.empty() || looks_like_placeholder_names(ids)))
        throw input_error(o.data_name, "has no gene names (its genes are called " +
                                           (symbols.empty() ? std::string("nothing") : quote(symbols[0])) +
                                           ", ...): genes cannot be matched to " + o.vocab_name);
    std::unordered_map<std::string, int32_t> by_ens, by_human, by_mouse;
    for (size_t i = 0; i < vocab.size(); ++i) {
        const ModelGene& g = vocab[i];
        if (!g.ensembl_id.empty()) by_ens.emplace(std::string(strip_ensembl_version(g.ensembl_id)), int32_t(i));
        if (!g.human_symbol.empty()) by_human.emplace(to_upper(g.human_symbol), int32_t(i));
        if (!g.mouse_symbol.empty()) by_mouse.emplace(to_upper(g.mouse_symbol), int32_t(i));
    }
    r.species = guess_species(ids, symbols);
    const bool mouse_first = r.species == Species::Mouse;
    auto& first_map = mouse_first ? by_mouse : by_human;
    auto& second_map = mouse_first ? by_human : by_mouse;
    std::vector<char> taken(vocab.size(), 0);
    auto look = [](const std::unordered_map<std::string, int32_t>& m, const std::string& key) -> int32_t {
        auto it = m.find(key);
        return it == m.end() ? -1 : it->second;
    };
    for (size_t i = 0; i < symbols.size(); ++i) {
        int32_t hit = -1;
        int how = 0;  // 1 ensembl, 2 symbol, 3 ortholog
        std::string_view id = i < ids.size() ? std::string_view(ids[i]) : std::string_view();
        if (!by_ens.empty()) {
            if (is_ensembl_gene_id(id)) hit = look(by_ens, std::string(strip_ensembl_version(id)));
            else if (is_ensembl_gene_id(symbols[i])) hit = look(by_ens, std::string(strip_ensembl_version(symbols[i])));
            if (hit >= 0) how = 1;
        }
        if (hit < 0) {
            std::string key = to_upper(symbols[i]);
            hit = look(first_map, key);
            if (hit < 0) hit = look(second_map, key);
            if (hit >= 0) how = 2;
            if (hit < 0 && o.orthologs) {
                // Unknown species: try both directions.
                if (r.species != Species::Human)
                    if (const std::string* h = o.orthologs->human_of(key)) hit = look(by_human, to_upper(*h));
                if (hit < 0 && r.species != Species::Mouse)
                    if (const std::string* m = o.orthologs->mouse_of(key)) hit = look(by_mouse, to_upper(*m));
                if (hit >= 0) how = 3;
            }
        }
        if (hit < 0) continue;
        if (taken[size_t(hit)]) {
            ++r.duplicates;
            continue;
        }
        taken[size_t(hit)] = 1;
        r.column_to_vocab[i] = hit;
        ++r.matched;
        (how == 1 ? r.by_ensembl : how == 2 ? r.by_symbol : r.by_ortholog)++;
    }
    if (r.duplicates > 0)
        r.notes.push_back(o.data_name + ": " + std::to_string(r.duplicates) +
                          " genes repeat a name already matched (duplicate symbols); the first of each was kept");
    const int64_t need = std::min<int64_t>(o.min_matched, r.vocab_size);
    if (r.matched < need) {
        std::string example = symbols.empty() ? "" : " (its genes look like " + quote(symbols[0]) +
                                                         (symbols.size() > 1 ? ", " + quote(symbols[1]) : "") + ")";
        throw input_error(o.data_name, "only " + std::to_string(r.matched) + " of its " + std::to_string(r.total) +
                                           " genes" + example + " match the " + std::to_string(r.vocab_size) +
                                           " genes of " + o.vocab_name + "; at least " + std::to_string(need) +
                                           " are needed. Check the species, and that genes are named by symbol or "
                                           "Ensembl id (for an .h5ad, choose the gene column)");
    }
    if (r.vocab_size > 0 && double(r.matched) < o.warn_fraction * double(r.vocab_size))
        r.notes.push_back(o.data_name + ": only " + std::to_string(r.matched) + " of the " + std::to_string(r.vocab_size) +
                          " genes of " + o.vocab_name + " were found; the missing ones count as not expressed, "
                          "which lowers annotation quality");
    return r;
}

std::vector<ModelGene> genes_as_vocabulary(const CellMatrix& m, const OrthologTable* orth) {
    Species sp = guess_species(m.gene_ids, m.gene_symbols);
    std::vector<ModelGene> v(size_t(m.n_genes));
    for (size_t i = 0; i < v.size(); ++i) {
        const std::string& sym = m.gene_symbols[i];
        if (sp == Species::Mouse) {
            v[i].mouse_symbol = sym;
            if (orth)
                if (const std::string* h = orth->human_of(sym)) v[i].human_symbol = *h;
        } else {
            v[i].human_symbol = sym;
            if (orth)
                if (const std::string* mm = orth->mouse_of(sym)) v[i].mouse_symbol = *mm;
        }
        if (i < m.gene_ids.size() && is_human_ensembl_id(m.gene_ids[i]))
            v[i].ensembl_id = std::string(strip_ensembl_version(m.gene_ids[i]));
    }
    return v;
}

}  // namespace scpt
