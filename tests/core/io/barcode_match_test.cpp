#include "core/io/barcode_match.hpp"

#include <gtest/gtest.h>

namespace scpt::io {
namespace {

BarcodeMatch match(const std::vector<std::string>& cells, const std::vector<std::string>& rows) {
    std::vector<std::string_view> v(rows.begin(), rows.end());
    return match_barcodes(cells, v, "labels.tsv");
}

TEST(WellSuffix, OnlyATrailingDashAndDigits) {
    EXPECT_EQ(without_well_suffix("AAACCCAAGAAACACT-1"), "AAACCCAAGAAACACT");
    EXPECT_EQ(without_well_suffix("AAAC-12"), "AAAC");
    EXPECT_EQ(without_well_suffix("AAAC"), "");
    EXPECT_EQ(without_well_suffix("AAAC-"), "");
    EXPECT_EQ(without_well_suffix("AAAC-1a"), "");
    EXPECT_EQ(without_well_suffix("-1"), "");
    EXPECT_EQ(without_well_suffix("sample_2"), "");
    EXPECT_EQ(without_well_suffix("cell-20231"), "");  // 5 digits: a cell number, not a GEM well
}

TEST(MatchBarcodes, DataWithSuffixLabelsWithout) {
    const auto m = match({"AAAC-1", "AAAG-1", "AAAT-1"}, {"AAAT", "AAAC", "ZZZZ"});
    EXPECT_EQ(m.row_of_cell, (std::vector<int64_t>{1, -1, 0}));
    EXPECT_EQ(m.rows_matched, 2);
    EXPECT_EQ(m.suffix_matched, 2);
    EXPECT_EQ(m.unmatched, 1);
    EXPECT_EQ(m.unmatched_example, "ZZZZ");
    ASSERT_EQ(m.warnings.size(), 1u);
    EXPECT_NE(m.warnings[0].find("labels.tsv: 2 barcodes matched after removing the 10x suffix '-1' from the data's "
                                 "barcodes (e.g. 'AAAT' = 'AAAT-1')"),
              std::string::npos)
        << m.warnings[0];
}

TEST(MatchBarcodes, LabelsWithSuffixDataWithout) {
    const auto m = match({"AAAC", "AAAG"}, {"AAAG-1", "AAAC-1"});
    EXPECT_EQ(m.row_of_cell, (std::vector<int64_t>{1, 0}));
    EXPECT_EQ(m.suffix_matched, 2);
    ASSERT_EQ(m.warnings.size(), 1u);
    EXPECT_NE(m.warnings[0].find("from the barcodes of labels.tsv"), std::string::npos) << m.warnings[0];
}

TEST(MatchBarcodes, ExactMatchesWin) {
    // AAAC names cell AAAC exactly, so AAAC-1 (which would fit it without the suffix) does not.
    const auto m = match({"AAAC", "AAAG-1"}, {"AAAC-1", "AAAC", "AAAG-1"});
    EXPECT_EQ(m.row_of_cell, (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(m.suffix_matched, 0);
    EXPECT_EQ(m.unmatched, 1);
    EXPECT_TRUE(m.warnings.empty());
}

TEST(MatchBarcodes, SeveralWellsAreAmbiguous) {
    // Two GEM wells: AAAC fits AAAC-1 and AAAC-2, so it is not used; AAAG fits AAAG-2 only.
    const auto m = match({"AAAC-1", "AAAC-2", "AAAG-2"}, {"AAAC", "AAAG"});
    EXPECT_EQ(m.row_of_cell, (std::vector<int64_t>{-1, -1, 1}));
    EXPECT_EQ(m.suffix_matched, 1);
    EXPECT_EQ(m.ambiguous, 1);
    EXPECT_EQ(m.unmatched, 0);
    ASSERT_EQ(m.warnings.size(), 2u);
    EXPECT_NE(m.warnings[0].find("1 barcode matched after removing the 10x suffix '-2'"), std::string::npos) << m.warnings[0];
    EXPECT_NE(m.warnings[1].find("labels.tsv: 1 barcode fit cells of several 10x GEM wells"), std::string::npos) << m.warnings[1];
    EXPECT_NE(m.warnings[1].find("'AAAC' fits 'AAAC-1' and 'AAAC-2'"), std::string::npos) << m.warnings[1];
}

TEST(MatchBarcodes, TwoRowsForOneCellAreAmbiguous) {
    const auto m = match({"AAAC", "AAAG"}, {"AAAC-1", "AAAC-2", "AAAG-1"});
    EXPECT_EQ(m.row_of_cell, (std::vector<int64_t>{-1, 2}));
    EXPECT_EQ(m.ambiguous, 2);
    EXPECT_EQ(m.suffix_matched, 1);
}

TEST(MatchBarcodes, DuplicatedCellBarcodesAllGetTheRow) {
    const auto m = match({"AAAC-1", "AAAC-1"}, {"AAAC"});
    EXPECT_EQ(m.row_of_cell, (std::vector<int64_t>{0, 0}));
    EXPECT_EQ(m.suffix_matched, 1);
}

TEST(CountText, GroupsThousands) {
    EXPECT_EQ(count_text(0), "0");
    EXPECT_EQ(count_text(999), "999");
    EXPECT_EQ(count_text(2700), "2,700");
    EXPECT_EQ(count_text(1234567), "1,234,567");
}

}  // namespace
}  // namespace scpt::io
