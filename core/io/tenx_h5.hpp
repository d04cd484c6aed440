// 10x Cell Ranger HDF5 matrices through H5Source.
//   v2 (Cell Ranger 1-2): one group per genome at the root, each with data, indices, indptr,
//      shape, genes (ids), gene_names, barcodes. ReadOptions::genome picks one; default the first
//      group in name order; the notes list the genomes when there are several.
//   v3 (Cell Ranger 3+): /matrix with data, indices, indptr, shape, barcodes and
//      features/{id,name,feature_type,genome}. Features that are not "Gene Expression" are set
//      aside with a note (unless keep_all_features); ReadOptions::genome keeps one genome's features.
// Both store genes x cells compressed by cell, i.e. cells x genes CSR.
#pragma once
#include "core/data/cell_matrix.hpp"
#include "core/io/h5_source.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

CellMatrix read_tenx_h5(const H5Source& f, const ReadOptions& o = {});
// Genome groups of a v2 file (root groups holding a 10x matrix), in name order.
std::vector<std::string> tenx_h5_v2_genomes(const H5Source& f);

}  // namespace scpt::io
