// Why a cell is Unassigned, from the figures the unknown-type rule decided on (annotate.hpp's
// UnknownRule): the page's teaching view says it per cell, next to the confusion matrix.
#pragma once
#include <cstdint>
#include <vector>

#include "core/annotate/annotate.hpp"

namespace scpt::annotate {

enum class UnassignedReason : int8_t {
    Assigned = 0,    // the cell has a type
    Atypical,        // typicality (conformal p-value) below alpha: unlike the cells of its best type
    LowProbability,  // calibrated probability of the best type below min_probability
    Both,            // atypical and improbable (UnknownRule::Either)
    Vote,            // majority voting gave its over-cluster Unassigned, though the cell alone has a type
};

// "assigned", "atypical", "low-probability", "atypical-and-low-probability", "majority-vote"
const char* unassigned_reason_name(UnassignedReason r);

// The reason for one cell: label (-1 = Unassigned), the calibrated probability of its best type
// and its typicality, under the rule of `options` (the one annotate ran with).
UnassignedReason unassigned_reason(int32_t label, float confidence, float typicality, const UnknownTypeOptions& options);

// Per predicted cell of p (labels, confidence and typicality as annotate() returned them).
std::vector<UnassignedReason> unassigned_reasons(const Predictions& p, const UnknownTypeOptions& options);

}  // namespace scpt::annotate
