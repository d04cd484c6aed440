#include "core/io/labels.hpp"

#include <gtest/gtest.h>

#include "core/io/table.hpp"
#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

// Options that read the label from `c` (a header name or a 1-based number).
LabelsOptions column(const std::string& c) {
    LabelsOptions o;
    o.column = c;
    return o;
}

TEST(Labels, SharedLabelsFileWithoutHeader) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/labels.tsv");
    std::string bytes = test::slurp(test::data_path("pbmc3k_seurat_labels/labels.tsv"));
    auto pairs = parse_labels(bytes, "labels.tsv");
    EXPECT_EQ(pairs.size(), 2638u);
    std::string first = bytes.substr(0, bytes.find('\n'));
    EXPECT_EQ(pairs[0].barcode + "\t" + pairs[0].label, first);
}

TEST(Labels, HeaderDetectionCsvAndEmptyLabels) {
    auto a = parse_labels("barcode\tcell_type\nAAAC-1\tB cell\nAAAG-1\t\n", "l.tsv");
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].label, "B cell");
    EXPECT_EQ(a[1].label, "");  // unlabelled
    auto b = parse_labels("\"cell\",\"label\"\n\"c1\",\"T\"\n\"c2\",NA\n", "l.csv");
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[1].label, "");
    auto c = parse_labels("x\nc1\tT\nc2\tB\n", "r.tsv");  // R write.table: header names only the label column
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].barcode, "c1");
    auto d = parse_labels("id,batch,type\nc1,b1,T\nc2,b2,B\n", "m.csv", column("type"));
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[1].label, "B");
    auto e = parse_labels("c1,b1,T\nc2,b2,B\n", "n.csv", column("3"));
    EXPECT_EQ(e[0].label, "T");
}

TEST(Labels, BadInputs) {
    auto err = [](const std::string& text, LabelsOptions o = {}) {
        try {
            parse_labels(text, "labels.tsv", o);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(err("c1\nc2\n").find("single column"), std::string::npos);
    EXPECT_NE(err("c1\tT\nc1\tB\n").find("appears more than once"), std::string::npos);
    EXPECT_NE(err("").find("empty"), std::string::npos);
    EXPECT_NE(err("a\tb\nc1\tT\n", column("type")).find("no column named 'type'"), std::string::npos);
}

TEST(ObsTable, RStyleHeaderAndNumericColumns) {
    SCPT_REQUIRE_DATA("fixtures/soupx_toy/metaData.tsv");
    std::string text = test::slurp(test::data_path("fixtures/soupx_toy/metaData.tsv"));
    std::string bc = test::slurp(test::data_path("fixtures/soupx_toy/filtered_gene_bc_matrices/GRCh38/barcodes.tsv"));
    std::vector<std::string> barcodes;
    std::istringstream in(bc);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) barcodes.push_back(l);
    std::vector<std::string> notes;
    auto cols = read_obs_table(text, "metaData.tsv", barcodes, &notes);
    ASSERT_EQ(cols.size(), 3u);  // res.1, tSNE_1, tSNE_2 (the header has no barcode title)
    EXPECT_EQ(cols[0].name, "res.1");
    EXPECT_TRUE(cols[1].is_numeric());
}

}  // namespace
}  // namespace scpt::io

namespace scpt::io {
namespace {

TEST(Labels, LimitsOnRowsClassesAndFields) {
    auto err = [](const std::string& text, const LabelsOptions& o) {
        try {
            parse_labels(text, "labels.tsv", o);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    LabelsOptions few;
    few.limits.max_cells = 2;
    few.limits.max_label_classes = 2;
    EXPECT_NE(err("c1\tA\nc2\tB\nc3\tA\n", few).find("has more than 2 labelled cells"), std::string::npos);
    few.limits.max_cells = 100;
    EXPECT_NE(err("c1\tA\nc2\tB\nc3\tC\n", few).find("has more than 2 distinct labels"), std::string::npos);
    EXPECT_NE(err("c1\tA" + std::string(200000, '\t') + "\n", {}).find("more than 100000 fields"), std::string::npos);
    auto gz = parse_labels(test::gzip_bytes("c1\tT\nc2\tB\n"), "l.tsv.gz");
    EXPECT_EQ(gz.size(), 2u);
}

}  // namespace
}  // namespace scpt::io
