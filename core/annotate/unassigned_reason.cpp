#include "core/annotate/unassigned_reason.hpp"

namespace scpt::annotate {

const char* unassigned_reason_name(UnassignedReason r) {
    switch (r) {
        case UnassignedReason::Assigned: return "assigned";
        case UnassignedReason::Atypical: return "atypical";
        case UnassignedReason::LowProbability: return "low-probability";
        case UnassignedReason::Both: return "atypical-and-low-probability";
        case UnassignedReason::Vote: return "majority-vote";
    }
    return "assigned";
}

UnassignedReason unassigned_reason(int32_t label, float confidence, float typicality, const UnknownTypeOptions& o) {
    if (label >= 0) return UnassignedReason::Assigned;
    // The tests of apply_unknown_rule(), read back.
    const bool by_prob = o.rule == UnknownRule::Probability || o.rule == UnknownRule::Either;
    const bool by_typ =
        o.rule == UnknownRule::Typicality || o.rule == UnknownRule::Either || o.rule == UnknownRule::QueryTypicality;
    const bool improbable = by_prob && double(confidence) < o.min_probability;
    const bool atypical = by_typ && double(typicality) < o.alpha;
    if (improbable && atypical) return UnassignedReason::Both;
    if (improbable) return UnassignedReason::LowProbability;
    if (atypical) return UnassignedReason::Atypical;
    return UnassignedReason::Vote;  // neither test failed: the label came from elsewhere
}

std::vector<UnassignedReason> unassigned_reasons(const Predictions& p, const UnknownTypeOptions& options) {
    std::vector<UnassignedReason> out(p.label.size());
    for (size_t i = 0; i < p.label.size(); ++i)
        out[i] = unassigned_reason(p.label[i], p.confidence[i], p.typicality[i], options);
    return out;
}

}  // namespace scpt::annotate
