// AnnData .h5ad files through H5Source.
//   Matrix: X (default), raw/X (ReadOptions::use_raw) or layers/<name> (ReadOptions::layer);
//           dense 2-D arrays, or groups encoded csr_matrix / csc_matrix (the `encoding-type`
//           attribute, or the older h5sparse_format), float or integer values.
//   Genes:  the var index (the `_index` attribute names it). When the index holds Ensembl ids
//           (CELLxGENE files), gene_ids come from it and symbols from the first var column among
//           feature_name, gene_symbols, gene_symbol, gene_name, gene_names, symbol, Symbol, name;
//           ReadOptions::gene_column chooses a column explicitly. A var column "gene_ids" with
//           Ensembl ids (scanpy's read_10x) fills gene_ids.
//   Cells:  the obs index; every obs column readable by h5_read_column() (categoricals in the
//           current and pre-0.7 encodings, strings, numbers, booleans, nullable arrays).
#pragma once
#include "core/data/cell_matrix.hpp"
#include "core/io/h5_source.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

CellMatrix read_h5ad(const H5Source& f, const ReadOptions& o = {});

}  // namespace scpt::io
