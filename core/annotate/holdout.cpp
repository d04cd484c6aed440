#include "core/annotate/holdout.hpp"

#include <cstdio>
#include <map>

#include "core/stats/metrics.hpp"

namespace scpt::annotate {

std::vector<UnknownTypeOptions> default_holdout_rules() {
    std::vector<UnknownTypeOptions> r;
    UnknownTypeOptions u;
    u.rule = UnknownRule::None;
    r.push_back(u);
    u.rule = UnknownRule::Probability;
    u.min_probability = 0.5;
    r.push_back(u);
    u.rule = UnknownRule::Typicality;
    for (double a : {0.005, 0.01, 0.02, 0.05, 0.1}) {
        u.alpha = a;
        r.push_back(u);
    }
    u.rule = UnknownRule::Either;
    for (double a : {0.01, 0.02, 0.05}) {
        u.alpha = a;
        r.push_back(u);
    }
    u.rule = UnknownRule::QueryTypicality;
    for (double a : {0.01, 0.05}) {
        u.alpha = a;
        r.push_back(u);
    }
    return r;
}

std::string rule_label(const UnknownTypeOptions& u) {
    char buf[96];
    switch (u.rule) {
        case UnknownRule::None: return "none";
        case UnknownRule::Probability: std::snprintf(buf, sizeof buf, "probability < %g", u.min_probability); break;
        case UnknownRule::Typicality: std::snprintf(buf, sizeof buf, "typicality p < %g", u.alpha); break;
        case UnknownRule::Either:
            std::snprintf(buf, sizeof buf, "typicality p < %g or probability < %g", u.alpha, u.min_probability);
            break;
        case UnknownRule::QueryTypicality:
            std::snprintf(buf, sizeof buf, "query-calibrated typicality p < %g", u.alpha);
            break;
    }
    return buf;
}

std::vector<HoldOutReport> hold_out_types(const HoldOutInput& in, const AnnotateOptions& annotate,
                                          const HoldOutOptions& o, const RunControl& control) {
    const std::vector<UnknownTypeOptions> rules = o.rules.empty() ? default_holdout_rules() : o.rules;
    std::vector<HoldOutReport> out(rules.size());
    for (size_t k = 0; k < rules.size(); ++k) {
        out[k].rule = rule_label(rules[k]);
        out[k].options = rules[k];
    }
    std::map<std::string, int64_t> all_types;
    for (const auto& l : in.labels) ++all_types[l];
    const size_t seeds = std::min(in.seeds.size(), size_t(std::max(1, o.max_seeds)));
    for (size_t si = 0; si < seeds; ++si) {
        for (const auto& [held, count] : all_types) {
            (void)count;
            control.check_cancel();
            const auto& test = in.test[si];
            int64_t held_test = 0;
            for (int64_t r : test) held_test += in.labels[size_t(r)] == held;
            if (held_test < o.min_test_cells) continue;
            std::vector<std::string> ref_labels(in.labels.size());
            std::map<std::string, int> kept;
            for (int64_t r : in.reference[si])
                if (in.labels[size_t(r)] != held) {
                    ref_labels[size_t(r)] = in.labels[size_t(r)];
                    ++kept[in.labels[size_t(r)]];
                }
            if (kept.size() < 2) continue;
            AnnotateOptions ao = annotate;
            ao.seed = in.seeds[si];
            ao.unknown.rule = UnknownRule::Typicality;  // computed for every cell; rules applied below
            ao.fall_back_without_model = true;
            Annotator a = Annotator::fit(*in.cells, ref_labels, nullptr, in.model, ao, control);
            Predictions p = a.predict(*in.cells, &test, "the test cells", control);
            // Scoring as common.py: truth of a held-out (or reference-absent) type = Unassigned.
            std::map<std::string, int32_t> idx;
            for (size_t c = 0; c < a.summary().classes.size(); ++c) idx[a.summary().classes[c]] = int32_t(c);
            const int32_t K = int32_t(a.summary().classes.size());
            std::vector<int32_t> truth(test.size());
            for (size_t i = 0; i < test.size(); ++i) {
                auto it = idx.find(in.labels[size_t(test[i])]);
                truth[i] = it == idx.end() ? -1 : it->second;
            }
            const Predictions measured = p;
            for (size_t k = 0; k < rules.size(); ++k) {
                if (rules[k].rule == UnknownRule::QueryTypicality) {
                    p = measured;  // the reference-only p-values, re-decided on these test cells
                    a.set_unknown_rule(rules[k]);
                    a.calibrate_on_query({&p});
                } else {
                    p.typicality = measured.typicality;
                    apply_unknown_rule(p, rules[k]);
                }
                int64_t unk = 0, unk_caught = 0, known = 0, known_lost = 0, known_right = 0;
                for (size_t i = 0; i < test.size(); ++i) {
                    if (truth[i] < 0) {
                        ++unk;
                        unk_caught += p.label[i] < 0;
                    } else {
                        ++known;
                        known_lost += p.label[i] < 0;
                        known_right += p.label[i] == truth[i];
                    }
                }
                const ClassificationScores s = score_labels(truth, p.label, K);
                HoldOutReport& r = out[k];
                r.unknown_caught += unk ? double(unk_caught) / double(unk) : 0;
                r.known_lost += known ? double(known_lost) / double(known) : 0;
                r.known_accuracy += known ? double(known_right) / double(known) : 0;
                r.accuracy += s.accuracy;
                r.macro_f1 += s.macro_f1;
                ++r.runs;
            }
        }
    }
    for (auto& r : out)
        if (r.runs > 0) {
            const double w = 1.0 / double(r.runs);
            r.unknown_caught *= w;
            r.known_lost *= w;
            r.known_accuracy *= w;
            r.accuracy *= w;
            r.macro_f1 *= w;
        }
    return out;
}

}  // namespace scpt::annotate
