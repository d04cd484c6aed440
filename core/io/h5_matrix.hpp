// Reading expression matrices stored in HDF5 (through H5Source) into a CellMatrix's CSR arrays:
// compressed sparse groups (data, indices, indptr) compressed by cell or by gene, and dense 2-D
// datasets with cells or genes as rows. Shared by the 10x .h5, AnnData, Loom and Cell BLAST readers.
// Everything a file declares is checked against Limits before allocation; reads go in blocks so
// progress is reported and cancel is honoured.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/io/h5_source.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

struct H5SparseLayout {
    std::string data, indices, indptr;  // dataset paths
    int64_t n_cells = 0, n_genes = 0;
    bool by_cell = true;  // indptr has one entry per cell (+1); false: per gene (CSC of cells x genes)
    // Optional: file gene index -> kept gene index or -1 (drop), with the kept count.
    const std::vector<int32_t>* gene_map = nullptr;
    int64_t kept_genes = -1;
};

// Fills m.n_cells, n_genes, indptr, indices, values. Unsorted genes within a cell are sorted and
// duplicates summed (noted in m.notes).
void h5_read_sparse(const H5Source& f, const H5SparseLayout& l, const ReadOptions& o, CellMatrix& m);

// Dense 2-D dataset: rows are cells (cells_are_rows) or genes. Zeros are not stored.
void h5_read_dense(const H5Source& f, const std::string& path, bool cells_are_rows, const ReadOptions& o, CellMatrix& m);

// A per-gene map that drops features whose type is not "Gene Expression" (10x v3) and, when
// `genome` is non-empty, features of other genomes. Returns kept count; empty map = keep all.
// Appends a note describing what was set aside.
int64_t tenx_feature_map(const std::vector<std::string>& types, const std::vector<std::string>& genomes,
                         const std::vector<std::string>& names, const std::string& genome, bool keep_all,
                         const std::string& what, std::vector<int32_t>& map, std::vector<std::string>& notes);

}  // namespace scpt::io
