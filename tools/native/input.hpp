// Reading whatever a user points scpt at: a file (10x .h5, .h5ad, .loom, Cell BLAST .h5,
// matrix.mtx[.gz], CSV/TSV[.gz]), a folder (a 10x matrix folder), or a .tar[.gz]/.tgz/.zip holding
// one (tools/native/archive_input.hpp). A lone matrix.mtx[.gz] picks up
// its neighbours features.tsv/genes.tsv and barcodes.tsv (plain or .gz, also with a shared prefix
// such as GSM123_matrix.mtx.gz + GSM123_features.tsv.gz). A folder that also holds obs.tsv
// (per-cell metadata, first column = barcode) or labels.tsv (barcode<TAB>label) gets those as
// metadata columns ("label" for labels.tsv), as the datasets of ../shared/data are laid out.
// Every error message starts with the path.
#pragma once
#include <string>

#include "core/data/cell_matrix.hpp"
#include "core/io/format.hpp"
#include "core/io/read_options.hpp"

namespace scpt::native {

using io::ReadOptions;

// Reads the input; *format (when not null) receives what was recognised.
CellMatrix read_input(const std::string& path, const ReadOptions& o = {}, io::InputFormat* format = nullptr);

}  // namespace scpt::native
