// The map of a loaded matrix's cells from its expression alone (before or without a model): values
// transformed as core's plan_transform decides (counts per 10k, log1p; logged data kept), PCA,
// then core's cell_map (UMAP of a sample, the rest placed near it). Once the model's encoder is in
// the module, annotate builds the map from the embedding instead; this stays for previews.
#pragma once
#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wasm/session.hpp"

namespace scpt::wasm {

// options: {pcaDims (default 30), seed (default 0)}. Returns Float32Array (x, y) per cell.
emscripten::val expression_map(Session& s, const std::string& role, emscripten::val options, emscripten::val on_progress);

// The map of an embedding held by the session (the encoder's output once a model is loaded):
// core's cell_map directly. options: {seed}. Returns Float32Array (x, y) per cell.
emscripten::val embedding_map(Session& s, const std::string& role, emscripten::val options, emscripten::val on_progress);

// The map of an annotation's cells (outcome number `outcome`, annotate_api.hpp): its embedding,
// by core's cell_map. options: {seed}. Returns Float32Array (x, y) per labelled cell.
emscripten::val outcome_map(Session& s, int outcome, emscripten::val options, emscripten::val on_progress);

}  // namespace scpt::wasm
