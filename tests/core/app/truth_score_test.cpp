#include "core/app/truth_score.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"

namespace scpt::app {
namespace {

// Five labelled rows of a six-cell matrix (row 2 not predicted): classes B, T.
AnnotateOutcome outcome(Flow flow = Flow::Reference) {
    AnnotateOutcome o;
    o.flow = flow;
    o.classes = {"B", "T"};
    o.predictions.cells = {0, 1, 3, 4, 5};
    o.predictions.label = {1, 0, 1, -1, 1};
    return o;
}

// Known types by row, in another order than the classes, with one the reference lacks (NK) and
// one cell without a known type (row 5).
ObsColumn truth() {
    ObsColumn c;
    c.name = "cell_type";
    c.levels = {"T", "B", "NK"};
    c.codes = {0, 1, 0, 2, 1, -1};
    return c;
}

TEST(TruthScore, MatchesTypesByNameAndCountsUnassignedAsWrong) {
    const TruthScore s = score_against_truth(outcome(), truth());
    EXPECT_EQ(s.column, "cell_type");
    EXPECT_TRUE(s.named);
    // Rows 0 (T->T right), 1 (B->B right), 3 (NK->T wrong), 4 (B->Unassigned); row 5 unknown.
    EXPECT_EQ(s.cells, 4);
    EXPECT_EQ(s.assigned, 3);
    EXPECT_DOUBLE_EQ(s.accuracy, 2.0 / 4.0);
    EXPECT_DOUBLE_EQ(s.accuracy_assigned, 2.0 / 3.0);
    EXPECT_EQ(s.rows, (std::vector<std::string>{"T", "B", "NK"}));
    EXPECT_EQ(s.cols, (std::vector<std::string>{"B", "T", "Unassigned"}));
    const std::vector<std::vector<int64_t>> counts = {{0, 1, 0}, {1, 0, 1}, {0, 1, 0}};
    EXPECT_EQ(s.counts, counts);
    // F1 per known type: T (tp 1, fp 1, fn 0) 2/3; B (tp 1, fp 0, fn 1) 2/3; NK 0.
    EXPECT_NEAR(s.macro_f1, (2.0 / 3 + 2.0 / 3 + 0) / 3, 1e-12);
}

TEST(TruthScore, GroupsGetTheTableButNoAccuracy) {
    const TruthScore s = score_against_truth(outcome(Flow::Groups), truth());
    EXPECT_FALSE(s.named);
    EXPECT_EQ(s.cells, 4);
    EXPECT_EQ(s.accuracy, 0);
    EXPECT_EQ(s.macro_f1, 0);
    EXPECT_EQ(s.counts[0][1], 1);
}

TEST(TruthScore, RefusesNumbersAndColumnsOfOtherCells) {
    ObsColumn numbers;
    numbers.name = "n_genes";
    numbers.numbers = {1, 2, 3, 4, 5, 6};
    EXPECT_THROW(score_against_truth(outcome(), numbers), InputError);
    ObsColumn short_column = truth();
    short_column.codes.resize(4);
    EXPECT_THROW(score_against_truth(outcome(), short_column), InputError);
}

}  // namespace
}  // namespace scpt::app
