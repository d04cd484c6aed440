// A 10x folder's optional metadata beside its matrix: obs.tsv (per-cell columns: clusters,
// samples, an author's cell types) and labels.tsv (barcode<TAB>label: the column "label"), plain or
// gzip. Attached the same way whether the folder was read natively (tools/native/input.cpp) or in
// the page (wasm/read_api.cpp): files are opened by the caller, bytes come here.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/util/limits.hpp"

namespace scpt::io {

struct FolderMetadata {
    bool has_obs = false, has_labels = false;
    std::string_view obs, labels;                  // the files' bytes (gzip or not)
    std::string obs_name = "obs.tsv", labels_name = "labels.tsv";  // for messages
};

// Adds obs.tsv's columns to m (a column of the same name is replaced) and labels.tsv as "label"
// (unless m has one: io::add_folder_labels). Notes (cells missing, barcodes matched after removing
// the 10x suffix, a labels file matching no cell) are appended to *notes. Throws InputError for a
// malformed table or one inflating past limits.max_inflated_bytes.
void attach_folder_metadata(CellMatrix& m, const FolderMetadata& files, const Limits& limits,
                            std::vector<std::string>* notes);

}  // namespace scpt::io
