// Annotation in the browser: one entry point over core's application layer (core/app/
// annotate_flow.hpp), the flow `scpt annotate` runs, so the same inputs, settings and seed give
// the same labels. Matrices and labels come from the session; the model is a LoadedModel the page
// read (or none: no pre-training). The outcome stays in the session for the table and the map.
#pragma once
#include <emscripten/val.h>

#include <string>

#include "wasm/session.hpp"

namespace scpt::wasm {

// request (all optional):
//   reference, query   matrix names ("" or absent: none). Labels + reference: fine-tune and label
//                      the query (or the reference's unlabelled cells); else the query's (or the
//                      reference's) cells are labelled by `classifier`, or grouped by K-means.
//   labelColumn        the reference's metadata column holding the types; a column made by
//                      attachLabels from a labels file is joined by barcode as --labels FILE does
//   classifier         name of a reference classifier shipped in the model
//   settings           {key: value} with the keys of `scpt annotate`'s options, as the CLI's flags
//                      without "--" (core/app/annotate_settings.hpp: finetune, alpha, seed, ...);
//                      numbers, strings or booleans; checked by core with the CLI's messages
//   modelNamed         true: the user chose the model, so it must fit (as `scpt annotate --model`);
//                      false (default): the shipped model steps aside with a warning
//   names              {reference, query, labels, model}: how messages name them
//   embedding          true: return the embedding too
// model: a LoadedModel, or null/undefined for no pre-training.
// Returns {flow: "reference" | "classifier" | "groups", cells, rows: Int32Array (row in the
//   labelled matrix), barcodes ("\n"-joined), label: Int32Array (-1 = Unassigned), best,
//   confidence, typicality: Float32Array (groups: empty), classes: [..], probabilities?
//   (settings.probabilities: cells x classes), embedding? (cells x dims), dims, queryGenes,
//   queryTransform, warnings: [..], with majority voting (settings majority-voting) cellLabel (the
//   cell's own label; `label` is its over-cluster's vote) and overCluster: Int32Array, outcome (its
//   number in the session: predictionsTable, scoreTruth, outcomeMap, annotatedH5ad; pending until
//   commitOutcome(n), dropped by discardOutcome(n)), and per flow fit {..., overClusters} | classifier {name, description,
//   genesMatched, genesTotal} | groups {k, sizes, embedding: "model" | "pca" | "none", notes}}.
emscripten::val annotate(Session& s, emscripten::val request, emscripten::val model, emscripten::val on_progress);

// The predictions table of outcome number `outcome`, as `scpt annotate` writes
// PRED.tsv (core/app/predictions_table.hpp). InputError when a later annotation replaced it.
std::string predictions_table(const Session& s, int outcome);

// Outcome number `outcome` against the known types in the metadata column `column`
// of the matrix `role` it labelled (core/app/truth_score.hpp): {column, named (false: K-means
// groups), cells, assigned, accuracy, accuracyAssigned, macroF1, rows: [known types], cols:
// [classes.., "Unassigned"], counts: rows x cols}.
emscripten::val score_truth(const Session& s, int outcome, const std::string& role, const std::string& column);

// How each classifier of the model fits the matrix (core/annotate/classifier_fit.hpp): [{name,
// description, genes, matched, expressed, species, dataSpecies, speciesOk, sampled, typical, fits,
// verdict}]; expressed = mean over the classifier's genes of the fraction of cells expressing the
// gene (0 for genes the data lacks), typical = fraction of the sampled cells typical of its types,
// verdict = the figures in words. The page pre-selects only one with fits true (highest expressed).
emscripten::val classifier_fit(Session& s, const std::string& role, emscripten::val model);

}  // namespace scpt::wasm
