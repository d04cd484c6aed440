// The genes a classifier is trained and applied on ("gene space"): the reference's genes, reduced
// to those the query has too (when a query is given and shared_only), each tied to its row in the
// pre-trained encoder when there is a model. Training only on genes the query measures keeps the
// reference's representation comparable to the query's: a gene the query lacks would push every
// reference cell's encoding in a direction no query cell can follow (different panels,
// technologies, or a 2000-gene query against a whole-transcriptome reference).
//
// Matching (core/data/gene_match.hpp): the reference against the model's vocabulary; the query
// against the reference's genes, through the ortholog table when the species differ.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/gene_match.hpp"
#include "core/data/orthologs.hpp"
#include "core/model/model.hpp"

namespace scpt::annotate {

struct GeneSpaceOptions {
    const OrthologTable* orthologs = nullptr;  // human <-> mouse; may be null
    bool shared_only = true;                   // keep only reference genes the query has
    std::string reference_name = "the reference";
    std::string query_name = "the query";
    std::string model_name = "the model";
};

struct GeneSpace {
    int64_t size = 0;                       // genes the classifier works on
    std::vector<int32_t> reference_column;  // per reference gene: index in the space, or -1
    std::vector<int32_t> model_row;         // per space gene: encoder row, or -1 (empty without a model)
    std::vector<std::string> symbols;       // per space gene, the reference's symbol
    int64_t model_matched = 0;              // space genes with an encoder row
    bool has_model = false;
    GeneMatch reference_to_model;           // when has_model
};

// Per gene of another matrix: its index in the space, or -1; and how its genes matched.
struct SpaceColumns {
    std::vector<int32_t> column;  // per gene of the matrix
    int64_t matched = 0;          // genes of the matrix that landed in the space
    GeneMatch match;              // against the reference's genes (empty when the genes are the reference's own)
    bool same_genes = false;      // the matrix has exactly the reference's genes
    std::string summary;          // one line for the user
};

// Throws InputError (from match_genes) when too few genes match the model or the reference.
GeneSpace build_gene_space(const CellMatrix& reference, const CellMatrix* query, const Model* model,
                           const GeneSpaceOptions& options);

// Aligns a matrix (the query, or the reference itself) to the space. Throws InputError when too
// few of its genes match.
SpaceColumns align_to_space(const GeneSpace& space, const CellMatrix& reference, const CellMatrix& m,
                            const GeneSpaceOptions& options, const std::string& name);

}  // namespace scpt::annotate
