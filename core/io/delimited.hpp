// Expression matrices as CSV/TSV text (optionally gzipped): a header row of column names, then one
// row per gene or per cell whose first field is the row name and whose other fields are numbers.
// The header may name the row-name column ("gene,cell1,cell2") or leave it out ("cell1,cell2",
// as R's write.table does). Quoted fields are allowed. Ragged rows, missing values (NA, empty) and
// non-numbers are errors naming the line and column.
//
// Orientation (ReadOptions::orientation == Auto): decided by guess_gene_axis() in
// core/data/gene_names.hpp from the row and column names (Ensembl ids, cell barcodes, common gene
// symbols, numbered cell ids, else the longer axis is genes); the choice and its reason are in notes.
#pragma once
#include <string>
#include <string_view>

#include "core/data/cell_matrix.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

CellMatrix read_delimited(std::string_view bytes, const std::string& what, const ReadOptions& o = {});

}  // namespace scpt::io
