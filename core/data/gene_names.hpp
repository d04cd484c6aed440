// What gene and cell names look like: Ensembl ids, 10x barcodes, common gene symbols, placeholder
// names. Used to guess which axis of a text matrix holds genes, which species symbols come from,
// and to refuse matrices whose genes have no real names.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace scpt {

// ENSG00000141510, ENSMUSG00000059552.3, ENSMMUG...: "ENS", optional species letters, "G", digits.
bool is_ensembl_gene_id(std::string_view s);
// Drops an Ensembl version suffix: ENSG00000141510.17 -> ENSG00000141510 (other names unchanged).
std::string_view strip_ensembl_version(std::string_view s);
// True for human Ensembl gene ids (ENSG...), false for other species (ENSMUSG...).
bool is_human_ensembl_id(std::string_view s);

// A run of at least 10 A/C/G/T letters: a sequencing barcode (AAACATACAACCAC-1, ctrl_TCGC...).
bool looks_like_dna_barcode(std::string_view s);

// A symbol of a gene expressed in nearly every cell type (ACTB, GAPDH, MALAT1, B2M, ...) or of a
// large family whose members are common in any transcriptome (RPL*, RPS*, MT-*, NDUF*, HLA-*,
// mouse Gm12345 / 1110008P14Rik, ...). Case-insensitive. Used as evidence that names are genes.
bool is_common_gene_symbol(std::string_view s);

// Names like gene1, gene2, ... or V1, V2, ... or plain numbers: a matrix exported without gene names.
bool looks_like_placeholder_names(const std::vector<std::string>& names);

enum class Species { Unknown, Human, Mouse };
const char* species_name(Species s);
// From symbol case (human symbols are upper case, mouse ones capitalised: CD74 vs Cd74) and
// Ensembl prefixes. Unknown when neither dominates (e.g. upper-cased mouse symbols).
Species guess_species(const std::vector<std::string>& ids, const std::vector<std::string>& symbols);

// Which axis of a table holds the genes, from the row names and column names.
struct AxisGuess {
    bool genes_are_rows = true;
    bool confident = false;  // false: no evidence either way, fell back to the larger axis
    std::string reason;      // for the user: "row names look like gene symbols (ACTB, ...)"
};
// Evidence in order: Ensembl ids; sequencing barcodes; common gene symbols; names that share a
// stem (cell1, cell2, ... / A1, A2, ...), which cell ids do and gene symbols rarely do.
// Without evidence: the longer axis is taken as genes (expression tables have more genes than
// cells far more often than not), and `confident` is false.
AxisGuess guess_gene_axis(const std::vector<std::string>& row_names, const std::vector<std::string>& col_names);

}  // namespace scpt
