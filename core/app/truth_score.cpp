#include "core/app/truth_score.hpp"

#include <map>

#include "core/stats/metrics.hpp"
#include "core/util/error.hpp"

namespace scpt::app {

TruthScore score_against_truth(const AnnotateOutcome& outcome, const ObsColumn& truth) {
    if (truth.is_numeric() || (truth.codes.empty() && !truth.levels.empty()))
        throw InputError("the column " + truth.name + " holds numbers, not cell types");
    const annotate::Predictions& p = outcome.predictions;
    TruthScore s;
    s.column = truth.name;
    s.named = outcome.flow != Flow::Groups;
    s.rows = truth.levels;
    s.cols = outcome.classes;
    s.cols.push_back("Unassigned");
    s.counts.assign(s.rows.size(), std::vector<int64_t>(s.cols.size(), 0));

    // One class space for the F1 scores: the outcome's classes, then the known types they lack.
    std::map<std::string, int32_t> index;
    for (size_t c = 0; c < outcome.classes.size(); ++c) index.emplace(outcome.classes[c], int32_t(c));
    std::vector<int32_t> truth_class(truth.levels.size());
    for (size_t t = 0; t < truth.levels.size(); ++t)
        truth_class[t] = index.emplace(truth.levels[t], int32_t(index.size())).first->second;

    std::vector<int32_t> known, predicted;
    int64_t right = 0;
    for (size_t i = 0; i < p.cells.size(); ++i) {
        const int64_t row = p.cells[i];
        if (row < 0 || size_t(row) >= truth.codes.size())
            throw InputError("the column " + truth.name + " does not describe the labelled cells");
        const int32_t t = truth.codes[size_t(row)];
        if (t < 0) continue;  // no known type
        const int32_t l = p.label[i];
        ++s.cells;
        ++s.counts[size_t(t)][l < 0 ? s.cols.size() - 1 : size_t(l)];
        if (l >= 0) {
            ++s.assigned;
            if (s.named) right += truth_class[size_t(t)] == l;
        }
        known.push_back(truth_class[size_t(t)]);
        predicted.push_back(l);
    }
    if (s.cells > 0) s.accuracy = double(right) / double(s.cells);
    if (s.assigned > 0) s.accuracy_assigned = double(right) / double(s.assigned);
    if (s.named && s.cells > 0) s.macro_f1 = score_labels(known, predicted, int32_t(index.size())).macro_f1;
    return s;
}

}  // namespace scpt::app
