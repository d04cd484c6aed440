// Why a cell is Unassigned: the reason agrees with the rule that decided it (apply_unknown_rule),
// for every rule, so the page never shows a reason the rule did not use.
#include "core/annotate/unassigned_reason.hpp"

#include <gtest/gtest.h>

#include "core/util/rng.hpp"

namespace scpt::annotate {
namespace {

TEST(UnassignedReason, AgreesWithTheRuleForEveryRule) {
    Predictions p;
    Rng rng(3);
    for (int i = 0; i < 400; ++i) {
        p.best.push_back(int32_t(rng.below(3)));
        p.confidence.push_back(float(rng.uniform()));
        p.typicality.push_back(float(rng.uniform() * 0.05));
    }
    for (UnknownRule rule : {UnknownRule::None, UnknownRule::Probability, UnknownRule::Typicality, UnknownRule::Either,
                             UnknownRule::QueryTypicality}) {
        UnknownTypeOptions o;
        o.rule = rule;
        o.alpha = 0.02;
        o.min_probability = 0.5;
        apply_unknown_rule(p, o);
        const auto reasons = unassigned_reasons(p, o);
        ASSERT_EQ(reasons.size(), p.label.size());
        int both = 0;
        for (size_t i = 0; i < reasons.size(); ++i) {
            EXPECT_EQ(reasons[i] == UnassignedReason::Assigned, p.label[i] >= 0) << unknown_rule_name(rule) << " cell " << i;
            EXPECT_NE(reasons[i], UnassignedReason::Vote);  // no voting here: one of the tests failed
            if (reasons[i] == UnassignedReason::LowProbability) {
                EXPECT_LT(p.confidence[i], 0.5f);
            }
            if (reasons[i] == UnassignedReason::Atypical) {
                EXPECT_LT(p.typicality[i], 0.02f);
            }
            both += reasons[i] == UnassignedReason::Both;
        }
        if (rule == UnknownRule::Either) EXPECT_GT(both, 0);
        else EXPECT_EQ(both, 0);
    }
}

TEST(UnassignedReason, AnUnassignedCellThatPassedBothTestsWasVotedOut) {
    UnknownTypeOptions o;  // query-typicality, alpha 0.01
    EXPECT_EQ(unassigned_reason(-1, 0.9f, 0.5f, o), UnassignedReason::Vote);
    EXPECT_EQ(unassigned_reason(-1, 0.9f, 0.001f, o), UnassignedReason::Atypical);
    EXPECT_EQ(unassigned_reason(2, 0.1f, 0.001f, o), UnassignedReason::Assigned);
    EXPECT_STREQ(unassigned_reason_name(UnassignedReason::LowProbability), "low-probability");
}

}  // namespace
}  // namespace scpt::annotate
