// The shared gene vocabulary of a pre-training corpus: every gene of the input datasets, named in
// both species where the one-to-one ortholog table knows it, so a model trained on human and mouse
// data matches either. Genes are keyed by human symbol (mouse genes through the ortholog table;
// mouse genes without a human ortholog stay as mouse-only entries). Datasets that name genes only
// by Ensembl id are named through the Ensembl id table when given. Order: first appearance
// (datasets in the given order, genes in file order), so the result is deterministic.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/gene_id_table.hpp"
#include "core/data/gene_match.hpp"
#include "core/data/orthologs.hpp"

namespace scpt {

struct VocabularySource {
    std::string name;                   // for messages and notes
    const CellMatrix* matrix = nullptr;
    Species species = Species::Unknown; // Unknown: guessed from the names (upper-case symbols read as human)
};

struct VocabularyOptions {
    int64_t min_datasets = 1;  // keep genes present in at least this many datasets
};

struct Vocabulary {
    std::vector<ModelGene> genes;
    std::vector<GeneMatch> matches;  // per source: its column -> vocabulary index map
    std::vector<std::string> notes;
};

// Throws InputError when a dataset has no gene names (gene1, gene2, ...) or nothing is left.
Vocabulary build_vocabulary(const std::vector<VocabularySource>& sources, const OrthologTable* orthologs,
                            const GeneIdTable* ensembl_ids, const VocabularyOptions& o = {});

}  // namespace scpt
