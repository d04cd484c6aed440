// The flow without labels: K-means groups that recover real cell lines, the same for a seed,
// largest first, on PCs when there is no model, and one group for a matrix too small to group.
#include "core/app/group_cells.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/stats/metrics.hpp"
#include "core/util/error.hpp"
#include "core/app/annotate_flow.hpp"
#include "core/app/predictions_table.hpp"
#include "tests/core/annotate/shipped_model.hpp"
#include "tests/test_data.hpp"
#include "tools/native/input.hpp"

namespace scpt::app {
namespace {

std::vector<int32_t> codes_of(const std::vector<std::string>& labels) {
    std::map<std::string, int32_t> at;
    std::vector<int32_t> c;
    for (const auto& l : labels) c.push_back(at.emplace(l, int32_t(at.size())).first->second);
    return c;
}

TEST(GroupCells, RecoversThreeCellLinesOnPcsAndIsDeterministic) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    const CellMatrix m = native::read_input(test::data_path("cellbench_celseq2_3cl"));
    GroupOptions o;
    o.clusters = 3;
    o.seed = 7;
    const Groups g = group_cells(m, nullptr, o);
    EXPECT_EQ(g.embedding, "pca");
    ASSERT_EQ(g.k, 3);
    ASSERT_EQ(g.codes.size(), size_t(m.n_cells));
    for (int i = 1; i < g.k; ++i) EXPECT_GE(g.sizes[size_t(i - 1)], g.sizes[size_t(i)]);
    EXPECT_GT(adjusted_rand_index(g.codes, codes_of(test::labels_of(m))), 0.9);
    EXPECT_EQ(group_cells(m, nullptr, o).codes, g.codes);
}

TEST(GroupCells, TooFewCellsMakeOneGroupWithANote) {
    CellMatrix m;
    m.n_cells = 2;
    m.n_genes = 5;
    m.indptr = {0, 0, 0};
    m.barcodes = {"a", "b"};
    const Groups g = group_cells(m, nullptr, {});
    EXPECT_EQ(g.k, 1);
    EXPECT_EQ(g.embedding, "none");
    ASSERT_EQ(g.notes.size(), 1u);
    EXPECT_NE(g.notes[0].find("too few to group"), std::string::npos);
}

TEST(AnnotateFlow, WithoutLabelsOrClassifierTheCellsAreGroupedAndTabledWithoutConfidence) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    const CellMatrix m = native::read_input(test::data_path("cellbench_celseq2_3cl"));
    AnnotateRequest r;
    r.query = &m;
    r.settings.clusters = 4;
    const AnnotateOutcome out = run_annotate(r);
    EXPECT_EQ(out.flow, Flow::Groups);
    ASSERT_EQ(out.classes.size(), 4u);
    EXPECT_EQ(out.classes[0], "Cluster 1");
    const std::string t = predictions_table(out, r.settings);
    EXPECT_EQ(t.substr(0, t.find('\n')), "barcode\tlabel");
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), m.n_cells + 1);
    EXPECT_NE(t.find(m.barcodes[0] + "\tCluster "), std::string::npos);
}

TEST(AnnotateFlow, AClassifierWithoutAModelIsRefused) {
    CellMatrix m;
    m.n_cells = 1;
    AnnotateRequest r;
    r.query = &m;
    r.classifier = "human_pbmc";
    EXPECT_THROW(run_annotate(r), InputError);
}

}  // namespace
}  // namespace scpt::app
