// Recognising an input's format from its first bytes and its name, and an HDF5 file's layout
// from the groups it holds. Used by tools/native/input.* and by the web worker.
#pragma once
#include <string>
#include <string_view>

#include "core/data/cell_matrix.hpp"
#include "core/io/h5_source.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

enum class InputFormat {
    Unknown,
    MatrixMarket,  // matrix.mtx[.gz]
    Delimited,     // CSV / TSV [.gz]
    TenxFolder,    // matrix.mtx + features/genes.tsv + barcodes.tsv
    Hdf5,          // an HDF5 file whose layout is not known yet (see detect_h5_layout)
    TenxH5,        // 10x Cell Ranger .h5 (v2 or v3)
    H5ad,          // AnnData
    Loom,
    CellBlastH5,
};
// "matrix_market", "delimited", "10x_folder", "hdf5", "10x_h5", "h5ad", "loom", "cell_blast_h5", "unknown"
const char* format_name(InputFormat f);

// HDF5 signature (\x89HDF\r\n\x1a\n) at offset 0, 512, 1024, ... (user blocks) within `head`.
bool is_hdf5(std::string_view head);

// From the first bytes of a file (gzip is looked through) and its name:
// HDF5 magic -> Hdf5; "%%MatrixMarket" -> MatrixMarket; text whose first line has tabs, commas
// or semicolons -> Delimited; otherwise Unknown. `head` should hold at least 4 KB when available.
InputFormat sniff_format(std::string_view head, const std::string& name);

// Why a file sniff_format calls Unknown cannot be read, after "NAME: " (the CLI and the page say
// the same): an HDF5 name without the signature, an R data file, or a format scpt does not read.
std::string unreadable_reason(const std::string& name);

// The layout of an HDF5 file by the groups present:
//   /matrix group with features      -> TenxH5 (v3)
//   root attribute encoding-type "anndata", or /X with /obs and /var -> H5ad
//   /matrix dataset with /row_attrs and /col_attrs -> Loom
//   /exprs with /obs_names and /var_names -> CellBlastH5
//   a root group with indptr, data and genes/gene_names -> TenxH5 (v2)
// Unknown otherwise.
InputFormat detect_h5_layout(const H5Source& f);

// Reads an HDF5 source with the reader of its layout; throws InputError listing the top-level
// groups when the layout is unknown. Sets *format when not null.
CellMatrix read_h5(const H5Source& f, const ReadOptions& o, InputFormat* format = nullptr);

}  // namespace scpt::io
