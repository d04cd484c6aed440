// Matching a dataset's genes to a target vocabulary (a model's genes, or another dataset's):
//   1. by Ensembl id (version suffix .N ignored) when the dataset has Ensembl ids;
//   2. by symbol, case-insensitively, against the vocabulary's human and mouse symbols (mouse
//      symbols first when the dataset looks like mouse data: Cd74 rather than CD74);
//   3. through the one-to-one ortholog table, when given, for symbols of the other species.
// Each vocabulary gene takes the first dataset gene that matches it; later ones (duplicate
// symbols) are left out and counted in a note. Too few matches is an InputError naming both
// sides, since encoding cells on a handful of genes gives meaningless results.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/gene_names.hpp"
#include "core/data/orthologs.hpp"
#include "core/data/model_terms.hpp"

namespace scpt {

struct GeneMatchOptions {
    const OrthologTable* orthologs = nullptr;  // human <-> mouse translation; may be null
    int64_t min_matched = 50;      // fewer matched genes is an error (capped at the vocabulary size)
    double warn_fraction = 0.10;   // a note when less than this fraction of the vocabulary matched
    std::string data_name = "the data";    // for messages: "pbmc.h5ad"
    std::string vocab_name = "the model";  // for messages: "model human_pbmc.scpt"
};

struct GeneMatch {
    std::vector<int32_t> column_to_vocab;  // per dataset gene: vocabulary index or -1
    int64_t matched = 0;                   // dataset genes mapped (= vocabulary genes covered)
    int64_t total = 0;                     // dataset genes
    int64_t vocab_size = 0;
    int64_t by_ensembl = 0, by_symbol = 0, by_ortholog = 0;
    int64_t duplicates = 0;                // dataset genes dropped because their target was taken
    Species species = Species::Unknown;    // guessed from the dataset's names
    std::vector<std::string> notes;
    // "matched 1834 of 2000 genes of pbmc.h5ad to 1834 of the model's 18000 genes"
    std::string summary() const;
};

GeneMatch match_genes(const std::vector<std::string>& gene_ids, const std::vector<std::string>& gene_symbols,
                      const std::vector<ModelGene>& vocab, const GeneMatchOptions& o = {});
inline GeneMatch match_genes(const CellMatrix& m, const std::vector<ModelGene>& vocab, const GeneMatchOptions& o = {}) {
    return match_genes(m.gene_ids, m.gene_symbols, vocab, o);
}

// A dataset's genes as a vocabulary (to match one dataset against another): symbols go to the
// human or mouse field by the guessed species (human when unknown), the other field is filled
// from the ortholog table when given; human Ensembl ids are kept.
std::vector<ModelGene> genes_as_vocabulary(const CellMatrix& m, const OrthologTable* orthologs);

}  // namespace scpt
