// Reading one per-row column (a cell's metadata or a gene's attribute) from an HDF5 data frame:
// AnnData's encodings (categorical groups with categories/codes, nullable-integer/boolean groups
// with values/mask, string arrays, numbers, booleans, and the pre-0.7 layout of a codes dataset
// whose categories live in <frame>/__categories/<col> or /uns/<col>_categories) and the plain
// 1-D datasets of Loom and Cell BLAST files.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/io/h5_source.hpp"

namespace scpt::io {

// Reads column `name` of the frame group `frame` ("/obs"), which must have `n` rows.
// Returns false (with *why set) for columns that are not per-row scalars (2-D, compound, wrong length).
bool h5_read_column(const H5Source& f, const std::string& frame, const std::string& name, int64_t n, ObsColumn& out,
                    std::string* why);

// The column as text per row ("" for missing values); throws InputError when it cannot be read.
std::vector<std::string> h5_column_text(const H5Source& f, const std::string& frame, const std::string& name, int64_t n);

// Names of the frame's columns in the frame's order (AnnData's column-order attribute, then any
// other member), leaving out `skip` and AnnData's bookkeeping members (__categories).
std::vector<std::string> h5_frame_columns(const H5Source& f, const std::string& frame, const std::vector<std::string>& skip);

}  // namespace scpt::io
