// What the page reads back about a matrix in the session: its description, a metadata column, and
// per-cell quality figures. (Building one from typed arrays is for tests: wasm/dev/.)
#pragma once
#include <emscripten/val.h>

#include <string>

#include "wasm/session.hpp"

namespace scpt::wasm {

// { cells, genes, nnz, valueKind (raw_counts|log_normalized|normalized|scaled, core/data/value_kind.hpp),
//   valueExplanation, integral, min, max, logBase, notes: [..], obs: [{name, numeric, levels}] }
emscripten::val matrix_info(const Session& s, const std::string& name);

// { name, numeric, levels: [..], codes: Int32Array } or { name, numeric: true, numbers: Float64Array }
emscripten::val matrix_obs(const Session& s, const std::string& name, const std::string& column);

// Per-cell quality figures for the page's plots: { total: Float32Array (sum of values),
// detected: Int32Array (genes with a non-zero value) }.
emscripten::val matrix_cell_stats(const Session& s, const std::string& name);
}  // namespace scpt::wasm
