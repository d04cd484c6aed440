// The page's annotated .h5ad: the layout `scpt annotate --out-h5ad` writes (core's
// annotated_h5ad + write_h5ad), through core's in-memory HDF5 writer (core/io/h5_file_writer.hpp)
// instead of libhdf5, which the module does not have.
#pragma once
#include <emscripten/val.h>

#include <string>

#include "wasm/session.hpp"

namespace scpt::wasm {

// The kept outcome number `outcome` (0: the last; annotate_api.hpp) of the cells of matrix `role`
// as an .h5ad, with `xy` (Float32Array, 2 per cell: the page's map) as obsm X_umap (undefined:
// none) and the outcome's embedding as X_scpretrain. Returns the file's bytes (Uint8Array).
// InputError when a later annotation replaced the outcome, for K-means groups (not cell types, as
// --out-h5ad), or when `role` no longer holds the cells that were labelled.
emscripten::val annotated_h5ad_bytes(const Session& s, int outcome, const std::string& role, emscripten::val xy);

}  // namespace scpt::wasm
