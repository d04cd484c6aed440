// Majority voting (majority_vote.hpp): the vote itself, the over-clusters on real cells, and the
// whole flow on a real pair of plates where one-by-one labels confuse the cell lines.
#include "core/annotate/majority_vote.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/annotate/annotate.hpp"
#include "tests/core/annotate/shipped_model.hpp"
#include "tests/test_data.hpp"
#include "tools/native/input.hpp"

namespace scpt::annotate {
namespace {

using test::labels_of;

TEST(MajorityLabels, EveryCellTakesItsClustersMostFrequentLabel) {
    const std::vector<int32_t> cluster = {0, 0, 0, 1, 1, 1, 1};
    const std::vector<int32_t> labels = {2, 2, 1, -1, -1, -1, 0};
    EXPECT_EQ(majority_labels(cluster, labels), (std::vector<int32_t>{2, 2, 2, -1, -1, -1, -1}));
}

TEST(MajorityLabels, AClusterWithATieKeepsItsCellsLabels) {
    EXPECT_EQ(majority_labels({0, 0, 1, 1, 2, 2, 2}, {-1, 3, 2, 1, 1, 1, -1}),
              (std::vector<int32_t>{-1, 3, 2, 1, 1, 1, 1}));
}

TEST(MajorityLabels, AClusterWithoutAClearMajorityKeepsItsCellsLabels) {
    const std::vector<int32_t> cluster = {0, 0, 0, 0, 1, 1};
    const std::vector<int32_t> labels = {0, 0, 1, 2, 1, 1};
    EXPECT_EQ(majority_labels(cluster, labels, 0.6), (std::vector<int32_t>{0, 0, 1, 2, 1, 1}));
    EXPECT_EQ(majority_labels(cluster, labels, 0.5), (std::vector<int32_t>{0, 0, 0, 0, 1, 1}));
}

TEST(MajorityLabels, RefusesMismatchedInputs) {
    EXPECT_THROW(majority_labels({0, 1}, {0}), std::invalid_argument);
    EXPECT_THROW(majority_labels({-1}, {0}), std::invalid_argument);
    EXPECT_THROW(majority_labels({0}, {-2}), std::invalid_argument);
}

TEST(OverCluster, RefusesOptionsOutOfRange) {
    CellMatrix m;
    MajorityVoteOptions o;
    o.cells_per_cluster = 0;
    EXPECT_THROW(over_cluster(m, {}, 1, o, false), std::invalid_argument);
    o = {};
    o.min_share = 1.5;
    EXPECT_THROW(over_cluster(m, {}, 1, o, false), std::invalid_argument);
}

// On the 5 cell lines of CellBench's CEL-seq2 plates the over-clusters are each of one line, the
// same for a seed whatever the threads, and about cells_per_cluster in size.
TEST(OverCluster, SplitsRealCellsIntoSmallPureGroupsDeterministically) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/matrix.mtx.gz");
    const CellMatrix m = native::read_input(test::data_path("cellbench_celseq2_5cl"));
    const std::vector<std::string> truth = labels_of(m);
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < m.n_cells; ++i) rows.push_back(i);
    MajorityVoteOptions o;
    o.seed = 3;
    RunControl one, two;
    one.threads = 1;
    two.threads = 2;
    const std::vector<int32_t> c = over_cluster(m, rows, 5, o, false, one);
    EXPECT_EQ(c, over_cluster(m, rows, 5, o, false, two));
    ASSERT_EQ(c.size(), rows.size());
    std::map<int32_t, std::map<std::string, int64_t>> members;
    for (size_t i = 0; i < c.size(); ++i) ++members[c[i]][truth[i]];
    const int64_t expected = std::max<int64_t>((m.n_cells + o.cells_per_cluster - 1) / o.cells_per_cluster,
                                               5 * o.clusters_per_type);
    EXPECT_GE(int64_t(members.size()), expected / 2);
    EXPECT_LE(int64_t(members.size()), expected);
    int64_t in_majority = 0;
    for (const auto& [id, types] : members) {
        int64_t top = 0;
        for (const auto& [t, n] : types) top = std::max(top, n);
        in_majority += top;
    }
    EXPECT_GE(double(in_majority) / double(m.n_cells), 0.97);
}

double accuracy(const AnnotateResult& r, const std::vector<std::string>& truth) {
    int64_t right = 0;
    const Predictions& p = r.predictions;
    for (size_t i = 0; i < p.label.size(); ++i)
        right += p.label[i] >= 0 && r.fit.classes[size_t(p.label[i])] == truth[size_t(p.cells[i])];
    return double(right) / double(p.label.size());
}

// CEL-seq2 5 lines -> the 3-line plate with the encoder outputs and PCs alone (no marker genes):
// one by one the lines are confused (measured: 0.78 of the cells right), by over-cluster less so
// (0.89).
TEST(MajorityVote, CorrectsLabelsTheCellsNeighboursDisagreeWith) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    const CellMatrix ref = native::read_input(test::data_path("cellbench_celseq2_5cl"));
    const CellMatrix qry = native::read_input(test::data_path("cellbench_celseq2_3cl"));
    AnnotateInput in;
    in.reference = &ref;
    in.labels = labels_of(ref);
    in.query = &qry;
    in.model = &test::shipped_model();
    AnnotateOptions o;
    o.reference_genes = 0;
    const AnnotateResult cells = annotate(in, o);
    EXPECT_TRUE(cells.predictions.over_cluster.empty());
    EXPECT_EQ(cells.fit.over_clusters, 0);
    o.majority_vote.enabled = true;
    const AnnotateResult voted = annotate(in, o);
    const Predictions& p = voted.predictions;
    ASSERT_EQ(p.over_cluster.size(), p.cells.size());
    EXPECT_GT(voted.fit.over_clusters, 1);
    EXPECT_EQ(p.cell_label, cells.predictions.label);  // the cells' own labels, as without voting
    const double a_cells = accuracy(cells, labels_of(qry)), a_voted = accuracy(voted, labels_of(qry));
    RecordProperty("accuracy_per_cell", std::to_string(a_cells));
    RecordProperty("accuracy_voted", std::to_string(a_voted));
    EXPECT_GE(a_voted, 0.85);
    EXPECT_GT(a_voted, a_cells + 0.1);
}

}  // namespace
}  // namespace scpt::annotate
