// Cell BLAST's HDF5 layout through H5Source:
//   /exprs       cells x genes: a dense 2-D dataset, or a group {data, indices, indptr, shape}
//                (CSR by cell; CSC by gene is recognised from the length of indptr)
//   /obs_names   cell ids;  /var_names  gene symbols;  /obs/<column>  per-cell metadata
//                (cell_ontology_class holds the annotation);  /var, /uns  ignored.
// Orientation is checked: a matrix whose shape is (genes, cells) is read transposed, with a note.
#pragma once
#include "core/data/cell_matrix.hpp"
#include "core/io/h5_source.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

CellMatrix read_cellblast_h5(const H5Source& f, const ReadOptions& o = {});

}  // namespace scpt::io
