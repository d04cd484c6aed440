// The default unknown-type rule, "query-typicality": typicality (typicality.hpp) calibrated on the
// query as well as the reference, so that a change of batch, technology or study is not taken for
// a new type.
//
// Measured (docs/ANNOTATE.md, "Unknown types"): a query from another batch or technology moves
// every cell away from the reference, so that the reference-only p-value calls most known cells
// Unassigned (55% of the CEL-seq2 lines from another plate set, 11% of PBMC 10x v2 -> v1 68k). The
// whole query moves, a new type is one group. So:
//   1. shift = max(1, the lower quartile (TypicalityOptions::shift_quantile) of the query cells'
//      scores for their best type / the same quartile of the calibration scores): how much farther
//      than the reference's own cells the query sits as a whole (the quartile stays on the known
//      cells as long as a new type is less than about three quarters of the query);
//   2. each cell's score is divided by the shift and ranked against the calibration cells of its
//      best type alone (Mondrian conformal p-value, Typicality::p_value(score, type)), so a
//      spread-out type does not set the threshold of a tight one; beyond the type's largest
//      calibration score the p-value follows a fitted tail (conformal.hpp), else a type of 50-98
//      calibration cells could never go below alpha 0.01;
//   3. Unassigned when that p-value is below alpha.
// The shift is a property of the whole query: it is computed over every part given together (a
// streamed query's chunks), and a query that is one new type through and through is not caught.
#pragma once
#include <vector>

#include "core/annotate/typicality.hpp"

namespace scpt::annotate {

struct Predictions;
struct UnknownTypeOptions;

// The query's shift (>= 1) from the raw scores (Predictions::typicality_score) of all its parts.
double query_shift(const std::vector<Predictions*>& parts, const Typicality& t);

// Sets each cell's typicality to the query-calibrated p-value, then its label by the rule o
// (apply_unknown_rule: p-value below o.alpha). Returns the shift used.
double decide_query_typicality(const std::vector<Predictions*>& parts, const Typicality& t,
                               const UnknownTypeOptions& o);

}  // namespace scpt::annotate
