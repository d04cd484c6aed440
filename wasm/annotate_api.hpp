// The real annotate flow in the browser: a thin layer over core's annotate() (core/annotate/
// annotate.hpp), the one `scpt annotate` runs, with the same defaults, so the same inputs and seed
// give the same labels. Matrices and labels come from the session; the model is a LoadedModel the
// page read (or none: no pre-training). Without any labels, cluster_cells groups the cells with
// core's K-means on their embedding instead.
#pragma once
#include <emscripten/val.h>

#include <string>

#include "wasm/session.hpp"

namespace scpt::wasm {

class LoadedModel;

// options (all optional but reference and labelColumn):
//   reference      matrix name (default "reference")
//   labelColumn    the reference's metadata column holding the types; a column made by
//                  attachLabels from a labels file is joined by barcode as --labels FILE does
//   query          matrix name of the cells to label; "" or absent: the reference's unlabelled cells
//   seed (0), finetune ("head" | "full"), unknown ("typicality" | "probability" | "either" | "none"),
//   alpha (0.01), minProbability (0.5), head ("linear" | "mlp"), referencePcs (50),
//   transform ("log1p" | "cp10k_log1p", without a model), allGenes (false), allowScaled (false),
//   fallBackWithoutModel (true: a model whose genes do not fit steps aside with a warning;
//   false, for a model the user chose: an error, as `scpt annotate --model`),
//   probabilities (false: return the cells x types probabilities), embedding (false: return
//   the embedding; it is always kept in the session as "predicted" for embeddingMap),
//   referenceName, queryName, labelsName, modelName (for messages).
// model: a LoadedModel, or null/undefined for no pre-training.
// Returns {cells, rows: Int32Array (row in the labelled matrix), barcodes ("\n"-joined),
//   label: Int32Array (-1 = Unassigned), best: Int32Array, confidence, typicality: Float32Array,
//   classes: [..], probabilities?: Float32Array (cells x classes), embedding?: Float32Array,
//   dims, warnings: [..], fit: {...}}.
emscripten::val annotate_cells(Session& s, emscripten::val options, emscripten::val model, emscripten::val on_progress);

// Groups the cells of a matrix with no labels: the model's embedding (or, without a model, the
// principal components of the expression), then core's K-means. options: {k (0: chosen from the
// number of cells), seed (0), fallBackWithoutModel (true: genes that do not fit the model give a
// note and the principal components; false: an error)}. The embedding is kept as "predicted".
// Returns {cells, k, codes: Int32Array, sizes: [..], embedding: "model" | "pca" | "none", notes: [..]};
// fewer than 3 cells or genes: one group (embedding "none", a note).
emscripten::val cluster_cells(Session& s, const std::string& role, emscripten::val model, emscripten::val options,
                              emscripten::val on_progress);

// Labels the cells of a matrix with a reference classifier shipped in the model (core's
// predict_with_classifier, as `scpt annotate --classifier NAME` does). options: {dataName (for
// messages), minProbability (negative: the classifier's own), allowScaled, probabilities,
// embedding}. Returns what annotate_cells does, without `fit`, plus classifier and description;
// the embedding is kept as "predicted". Throws InputError when too few genes match.
emscripten::val classify_cells(Session& s, const std::string& role, emscripten::val model, const std::string& name,
                               emscripten::val options, emscripten::val on_progress);

// How each classifier of the model fits the matrix (core/annotate/classifier_fit.hpp): [{name,
// description, genes, matched, expressed, species, dataSpecies, speciesOk, sampled, typical, fits,
// verdict}]; expressed = mean over the classifier's genes of the fraction of cells expressing the
// gene (0 for genes the data lacks), typical = fraction of the sampled cells typical of its types,
// verdict = the figures in words. The page pre-selects only one with fits true (highest expressed).
emscripten::val classifier_fit(Session& s, const std::string& role, emscripten::val model);

}  // namespace scpt::wasm
