// The one in-memory form every reader produces and every algorithm consumes: a cells x genes
// sparse matrix in CSR layout (float32 values), the names of genes and cells, and every per-cell
// metadata column of the source.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace scpt {

// One per-cell metadata column. Text columns are categorical (levels + codes); numeric columns
// keep their numbers. Missing values: code -1, or NaN for numbers.
struct ObsColumn {
    std::string name;
    std::vector<std::string> levels;  // distinct values, in the source's order where it has one
    std::vector<int32_t> codes;       // per cell, index into levels, -1 = missing
    std::vector<double> numbers;      // per cell, for numeric columns (then levels/codes are empty)

    bool is_numeric() const { return !numbers.empty() && codes.empty(); }
    // Number of distinct non-missing values (levels for text; distinct numbers for numeric).
    int64_t level_count() const;
    // The value of cell i as text ("" when missing).
    std::string text(int64_t cell) const;
};

struct CellMatrix {
    int64_t n_cells = 0;
    int64_t n_genes = 0;
    std::vector<int64_t> indptr;  // n_cells + 1 offsets into indices/values
    std::vector<int32_t> indices; // gene index of each stored value, ascending within a cell
    std::vector<float> values;

    std::vector<std::string> gene_ids;      // Ensembl ids where the source has them, else = symbols
    std::vector<std::string> gene_symbols;  // gene names as the user knows them
    std::vector<std::string> barcodes;      // one per cell
    std::vector<ObsColumn> obs;             // per-cell metadata columns

    // What the reader noticed and the user should hear (features set aside, orientation guessed).
    std::vector<std::string> notes;

    int64_t nnz() const { return int64_t(values.size()); }
    const ObsColumn* find_obs(const std::string& name) const;

    // Checks the structural invariants (sizes, offsets, index ranges and order, finite values)
    // and throws InputError prefixed with `what` on the first violation.
    void validate(const std::string& what) const;
};

// Builds a CellMatrix's CSR arrays from (cell, gene, value) entries in any order.
// Duplicate (cell, gene) entries are summed, as Matrix Market readers conventionally do, and counted.
class CsrBuilder {
public:
    CsrBuilder(int64_t n_cells, int64_t n_genes) : n_cells_(n_cells), n_genes_(n_genes) {}
    void reserve(int64_t nnz);
    void add(int64_t cell, int64_t gene, float value) {
        cells_.push_back(int32_t(cell));
        genes_.push_back(int32_t(gene));
        vals_.push_back(value);
    }
    // Moves the entries into m (n_cells, n_genes, indptr, indices, values); returns duplicates summed.
    int64_t finish(CellMatrix& m);

private:
    int64_t n_cells_, n_genes_;
    std::vector<int32_t> cells_, genes_;
    std::vector<float> vals_;
};

}  // namespace scpt
