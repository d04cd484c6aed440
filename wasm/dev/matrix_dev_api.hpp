// Test-only matrix entry points (the scpt-dev module, never shipped): a matrix built from typed
// arrays, and its names read back, so node tests can set up a session without a file and check
// what a reader stored. The page reads files only (wasm/read_api.hpp).
#pragma once
#include <emscripten/val.h>

#include <string>

#include "wasm/session.hpp"

namespace scpt::wasm {

// spec: { source: "query.h5ad" (names the input in messages), nCells, nGenes,
//         layout: "csr" (indptr over cells, the default) | "csc" (indptr over genes)
//                 | "coo" (then rows: Int32Array of the cell of each value, no indptr),
//         indptr: any numeric typed array (BigInt64Array must be converted first, e.g. to Float64Array),
//         indices: Int32Array (or any numeric typed array), values: Float32Array (or any numeric),
//         barcodes: "\n"-joined string, geneIds: "\n"-joined, geneSymbols: "\n"-joined (optional) }
// Checks sizes against Limits before allocating and the structure after building; replaces any
// matrix of the same name. Returns matrix_info().
emscripten::val matrix_from_csr(Session& s, const std::string& name, emscripten::val spec);

// Barcodes / gene symbols / gene ids as one "\n"-joined string.
std::string matrix_barcodes(const Session& s, const std::string& name);
std::string matrix_gene_symbols(const Session& s, const std::string& name);
std::string matrix_gene_ids(const Session& s, const std::string& name);

// Adds (or replaces) a per-cell metadata column. Text: levels "\n"-joined and codes Int32Array
// (-1 = missing); numeric: levels undefined and numbers Float64Array (NaN = missing).
void matrix_set_obs(Session& s, const std::string& name, const std::string& column,
                    emscripten::val levels, emscripten::val values);

}  // namespace scpt::wasm
