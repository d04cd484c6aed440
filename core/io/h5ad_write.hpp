// Writes an AnnData .h5ad through an H5Sink (h5_sink.hpp), following AnnData's on-disk format
// (anndata.readthedocs.io, "On-disk format"; what anndata 0.8, Debian's python3-anndata, writes and
// reads):
//   /                 encoding-type "anndata", encoding-version "0.1.0"
//   /X                "csr_matrix" 0.1.0, attribute shape [n_obs, n_vars]; data float32,
//                     indices int32, indptr int64 (the cells' values as the matrix holds them)
//   /obs, /var        "dataframe" 0.2.0: attributes _index = "_index" and column-order; the index
//                     a "string-array" 0.2.0 (barcodes; gene symbols), each column a dataset or,
//                     categorical, a group "categorical" 0.2.0 with codes (int32, -1 = missing),
//                     categories (string-array) and the bool attribute ordered = false
//   /obsm             "dict" 0.1.0 of 2-D "array" 0.2.0 datasets (cells x dims, float32)
//   /uns, /layers, /obsp, /varm, /varp   empty "dict" 0.1.0 groups
// Columns are "array" 0.2.0 datasets: float32, float64, int32 or bool.
// The layout is the only one: `scpt annotate --out-h5ad` calls it with libhdf5's sink, the page
// with core's in-memory writer (h5_file_writer.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/io/h5_sink.hpp"

namespace scpt::io {

struct H5adColumn {
    enum class Kind { Categorical, Float32, Float64, Int32, Bool };
    std::string name;
    Kind kind = Kind::Float32;
    std::vector<std::string> categories;  // Categorical
    std::vector<int32_t> codes;           // Categorical: per cell, index into categories, -1 = missing
    std::vector<float> f32;
    std::vector<double> f64;
    std::vector<int32_t> i32;
    std::vector<uint8_t> flags;           // Bool: 0 or 1

    int64_t size() const;                 // values of the column's kind
    static H5adColumn categorical(std::string name, std::vector<std::string> categories, std::vector<int32_t> codes);
    static H5adColumn float32(std::string name, std::vector<float> v);
    static H5adColumn float64(std::string name, std::vector<double> v);
    static H5adColumn int32(std::string name, std::vector<int32_t> v);
    static H5adColumn boolean(std::string name, std::vector<uint8_t> v);
};

// One obsm entry: cells x cols float32, row-major.
struct H5adMatrix {
    std::string name;
    int64_t cols = 0;
    std::vector<float> values;
};

struct H5adContent {
    const CellMatrix* matrix = nullptr;  // required: X, the barcodes (obs index) and genes (var)
    // Rows of `matrix` written, in this order (the cells of obs and obsm); empty: every cell.
    std::vector<int64_t> rows;
    std::vector<H5adColumn> obs;         // one value per written cell each
    std::vector<H5adMatrix> obsm;        // rows = written cells each
};

// Writes `c` into `sink` (an empty file). var: index = the gene symbols, one column gene_ids.
// Throws std::invalid_argument naming the column or matrix whose size does not fit, a duplicate
// or reserved ("_index") column name, or a code outside its categories.
void write_h5ad(const H5adContent& c, H5Sink& sink);

}  // namespace scpt::io
