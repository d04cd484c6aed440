// Builds a CellMatrix's CSR arrays from entries that usually arrive grouped by cell in ascending
// cell order (10x Matrix Market files, CSC-by-cell HDF5): then entries are appended in place with
// no extra copy, and each cell's genes are sorted (and duplicates summed) when the cell is closed.
// When a cell arrives out of order the collector falls back to CsrBuilder (any order, more memory).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/data/cell_matrix.hpp"

namespace scpt {

// Sorts one cell's (gene, value) pairs by gene and sums duplicate genes in place.
// Returns the new length; adds the number of duplicates merged to *duplicates.
size_t sort_and_sum_genes(int32_t* genes, float* values, size_t n, int64_t* duplicates);

class CellCollector {
public:
    CellCollector(int64_t n_cells, int64_t n_genes);
    ~CellCollector();
    void reserve(int64_t nnz);
    void add(int32_t cell, int32_t gene, float value) {
        if (cell == current_ && !fallback_) {
            genes_.push_back(gene);
            values_.push_back(value);
        } else {
            add_slow(cell, gene, value);
        }
    }
    // Moves the result into m (n_cells, n_genes, indptr, indices, values).
    // Returns the number of duplicate (cell, gene) entries that were summed.
    int64_t finish(CellMatrix& m);
    // True while every entry so far arrived in ascending cell order.
    bool in_cell_order() const { return !fallback_; }

private:
    void add_slow(int32_t cell, int32_t gene, float value);
    void close_current();
    int64_t n_cells_, n_genes_;
    int32_t current_ = 0;
    int64_t cell_start_ = 0;  // offset of current_'s first entry
    int64_t duplicates_ = 0;
    std::vector<int64_t> indptr_;
    std::vector<int32_t> genes_;
    std::vector<float> values_;
    std::unique_ptr<CsrBuilder> fallback_;
};

}  // namespace scpt
