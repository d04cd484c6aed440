#include "core/annotate/reference_labels.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "core/util/error.hpp"

namespace scpt::annotate {
namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(ReferenceClasses, SortedTypesAndUnlabelledMarkers) {
    const auto r = reference_classes({"T", "", "B", "NA", "T", "Unassigned", "nan", "b"}, "labels.tsv");
    EXPECT_EQ(r.names, (std::vector<std::string>{"B", "T", "b"}));  // byte order, case kept
    EXPECT_EQ(r.codes, (std::vector<int32_t>{1, -1, 0, -1, 1, -1, -1, 2}));
    EXPECT_EQ(r.counts, (std::vector<int64_t>{1, 2, 1}));
    EXPECT_EQ(r.labelled, 4);
    ASSERT_EQ(r.warnings.size(), 1u);  // B and b have a single cell each
    EXPECT_NE(r.warnings[0].find("2 cell types have a single labelled cell"), std::string::npos) << r.warnings[0];
}

TEST(ReferenceClasses, ClearErrorsForUnusableLabels) {
    EXPECT_NE(error_of([] { reference_classes({"", "NA", "Unassigned"}, "labels.tsv"); }).find("labels.tsv: no cell has a label"),
              std::string::npos);
    const std::string one = error_of([] { reference_classes({"T", "T", ""}, "labels.tsv"); });
    EXPECT_NE(one.find("the same type 'T'"), std::string::npos) << one;
    EXPECT_NE(one.find("at least two cell types"), std::string::npos) << one;
}

TEST(LabelsForCells, JoinsByBarcodeAndCountsUnknownRows) {
    const std::vector<std::string> barcodes{"AAAC-1", "AAAG-1", "AAAT-1"};
    const std::vector<io::LabelPair> rows{{"AAAT-1", "B"}, {"ZZZZ-1", "T"}, {"AAAC-1", "T"}, {"YYYY-1", "T"}};
    const CellLabels l = labels_for_cells(barcodes, rows, "lab.tsv", "pbmc");
    EXPECT_EQ(l.labels, (std::vector<std::string>{"T", "", "B"}));
    EXPECT_EQ(l.rows_matched, 2);
    ASSERT_EQ(l.warnings.size(), 1u);
    EXPECT_NE(l.warnings[0].find("2 of 4 rows name barcodes that are not cells of pbmc"), std::string::npos) << l.warnings[0];
    const std::string none = error_of([&] { labels_for_cells(barcodes, {{"X-1", "T"}}, "lab.tsv", "pbmc"); });
    EXPECT_NE(none.find("lab.tsv: none of its 1 barcodes is a cell of pbmc"), std::string::npos) << none;
    EXPECT_NE(none.find("'AAAC-1' in the data"), std::string::npos) << none;
}

TEST(LabelsForCells, MatchesBarcodesThatDifferByThe10xSuffixAndSaysSo) {
    // Cell Ranger's barcodes carry the GEM-well suffix, a Seurat table's often do not.
    const std::vector<std::string> barcodes{"AAAC-1", "AAAG-1", "AAAT-1"};
    const CellLabels l = labels_for_cells(barcodes, {{"AAAT", "B"}, {"AAAC", "T"}}, "lab.tsv", "pbmc");
    EXPECT_EQ(l.labels, (std::vector<std::string>{"T", "", "B"}));
    EXPECT_EQ(l.rows_matched, 2);
    ASSERT_EQ(l.warnings.size(), 1u);
    EXPECT_NE(l.warnings[0].find("lab.tsv: 2 barcodes matched after removing the 10x suffix '-1'"), std::string::npos)
        << l.warnings[0];
    // The other way round.
    const CellLabels r = labels_for_cells({"AAAC", "AAAG"}, {{"AAAG-1", "B"}}, "lab.tsv", "pbmc");
    EXPECT_EQ(r.labels, (std::vector<std::string>{"", "B"}));
    // Two GEM wells and labels without suffix: nothing can be told apart, and the error says why.
    const std::string two = error_of([] { labels_for_cells({"AAAC-1", "AAAC-2"}, {{"AAAC", "T"}}, "lab.tsv", "pbmc"); });
    EXPECT_NE(two.find("lab.tsv: none of its 1 barcodes is a cell of pbmc"), std::string::npos) << two;
    EXPECT_NE(two.find("several 10x GEM wells"), std::string::npos) << two;
}

TEST(LabelsFromColumn, NamesTheColumnsThatExist) {
    CellMatrix m;
    m.n_cells = 2;
    ObsColumn c;
    c.name = "cell_type";
    c.levels = {"B", "T"};
    c.codes = {1, -1};
    m.obs.push_back(c);
    EXPECT_EQ(labels_from_column(m, "cell_type", "d.h5ad").labels, (std::vector<std::string>{"T", ""}));
    const std::string e = error_of([&] { labels_from_column(m, "celltype", "d.h5ad"); });
    EXPECT_NE(e.find("d.h5ad: has no metadata column 'celltype' (its columns: 'cell_type')"), std::string::npos) << e;
}

}  // namespace
}  // namespace scpt::annotate
