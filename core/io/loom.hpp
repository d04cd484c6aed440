// Loom files (loompy 2/3) through H5Source: /matrix is GENES x CELLS (dense, usually chunked);
// /row_attrs holds gene attributes (Gene = symbols, Accession = Ensembl ids; or
// ReadOptions::gene_column), /col_attrs cell attributes (CellID = barcodes; every other 1-D
// attribute becomes a metadata column). Layers are not read.
#pragma once
#include "core/data/cell_matrix.hpp"
#include "core/io/h5_source.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

CellMatrix read_loom(const H5Source& f, const ReadOptions& o = {});

}  // namespace scpt::io
