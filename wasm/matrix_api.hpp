// Matrices in and out of the session: build a CellMatrix from CSR/CSC typed arrays (what the page
// gets from HDF5 through h5wasm, and the form any JS-side reader produces), describe it, and hand
// names, barcodes and metadata columns back to the page.
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

// { cells, genes, nnz, valueKind (raw_counts|log_normalized|normalized|scaled, core/data/value_kind.hpp),
//   valueExplanation, integral, min, max, logBase, notes: [..], obs: [{name, numeric, levels}] }
emscripten::val matrix_info(const Session& s, const std::string& name);

// Barcodes / gene symbols / gene ids as one "\n"-joined string.
std::string matrix_barcodes(const Session& s, const std::string& name);
std::string matrix_gene_symbols(const Session& s, const std::string& name);
std::string matrix_gene_ids(const Session& s, const std::string& name);

// Adds (or replaces) a per-cell metadata column. Text: levels "\n"-joined and codes Int32Array
// (-1 = missing); numeric: levels undefined and numbers Float64Array (NaN = missing).
void matrix_set_obs(Session& s, const std::string& name, const std::string& column,
                    emscripten::val levels, emscripten::val values);

// { name, numeric, levels: [..], codes: Int32Array } or { name, numeric: true, numbers: Float64Array }
emscripten::val matrix_obs(const Session& s, const std::string& name, const std::string& column);

}  // namespace scpt::wasm

namespace scpt::wasm {
// Per-cell quality figures for the page's plots: { total: Float32Array (sum of values),
// detected: Int32Array (genes with a non-zero value) }.
emscripten::val matrix_cell_stats(const Session& s, const std::string& name);
}  // namespace scpt::wasm
