// The .h5ad layout (core/io/h5ad_write.hpp) as a recording sink sees it: AnnData's encodings,
// a CSR X of the chosen rows, obs/var dataframes, categorical columns, obsm.
#include "core/io/h5ad_write.hpp"

#include <gtest/gtest.h>

#include "tests/core/io/recording_h5_sink.hpp"

namespace scpt {
namespace {

// 3 cells x 4 genes: cell 0 {g1: 1}, cell 1 {}, cell 2 {g0: 2, g3: 5}.
CellMatrix small() {
    CellMatrix m;
    m.n_cells = 3;
    m.n_genes = 4;
    m.indptr = {0, 1, 1, 3};
    m.indices = {1, 0, 3};
    m.values = {1, 2, 5};
    m.gene_ids = {"E0", "E1", "E2", "E3"};
    m.gene_symbols = {"A", "B", "", "D"};
    m.barcodes = {"c0", "c1", "c2"};
    return m;
}

TEST(H5adWrite, WritesAnnDatasEncodingsAndTheChosenRowsAsCsr) {
    const CellMatrix m = small();
    io::H5adContent c;
    c.matrix = &m;
    c.rows = {2, 0};
    c.obs.push_back(io::H5adColumn::categorical("label", {"T", "B"}, {1, -1}));
    c.obs.push_back(io::H5adColumn::float32("confidence", {0.5f, 0.25f}));
    c.obs.push_back(io::H5adColumn::boolean("unassigned", {0, 1}));
    c.obsm.push_back({"X_umap", 2, {1, 2, 3, 4}});
    test::RecordingH5Sink s;
    io::write_h5ad(c, s);

    EXPECT_EQ(s.attr("/", "encoding-type"), "anndata");
    EXPECT_EQ(s.attr("/", "encoding-version"), "0.1.0");
    EXPECT_EQ(s.attr("/X", "encoding-type"), "csr_matrix");
    EXPECT_EQ(s.int_attrs["/X@shape"], (std::vector<int64_t>{2, 4}));
    EXPECT_EQ(s.datasets["/X/indptr"].numbers, (std::vector<double>{0, 2, 3}));
    EXPECT_EQ(s.datasets["/X/indptr"].type, "int64");
    EXPECT_EQ(s.datasets["/X/indices"].numbers, (std::vector<double>{0, 3, 1}));
    EXPECT_EQ(s.datasets["/X/data"].numbers, (std::vector<double>{2, 5, 1}));
    EXPECT_EQ(s.datasets["/X/data"].type, "float32");

    EXPECT_EQ(s.attr("/obs", "encoding-type"), "dataframe");
    EXPECT_EQ(s.attr("/obs", "encoding-version"), "0.2.0");
    EXPECT_EQ(s.attr("/obs", "_index"), "_index");
    EXPECT_EQ(s.string_attrs["/obs@column-order"], (std::vector<std::string>{"label", "confidence", "unassigned"}));
    EXPECT_EQ(s.datasets["/obs/_index"].strings, (std::vector<std::string>{"c2", "c0"}));
    EXPECT_EQ(s.attr("/obs/_index", "encoding-type"), "string-array");
    EXPECT_TRUE(s.has_group("/obs/label"));
    EXPECT_EQ(s.attr("/obs/label", "encoding-type"), "categorical");
    EXPECT_EQ(s.bool_attrs.at("/obs/label@ordered"), false);
    EXPECT_EQ(s.datasets["/obs/label/codes"].numbers, (std::vector<double>{1, -1}));
    EXPECT_EQ(s.datasets["/obs/label/categories"].strings, (std::vector<std::string>{"T", "B"}));
    EXPECT_EQ(s.attr("/obs/confidence", "encoding-type"), "array");
    EXPECT_EQ(s.datasets["/obs/unassigned"].type, "bool");

    // var: symbols as the index (the id where a symbol is missing), ids as a column.
    EXPECT_EQ(s.datasets["/var/_index"].strings, (std::vector<std::string>{"A", "B", "E2", "D"}));
    EXPECT_EQ(s.datasets["/var/gene_ids"].strings, (std::vector<std::string>{"E0", "E1", "E2", "E3"}));
    EXPECT_EQ(s.string_attrs["/var@column-order"], (std::vector<std::string>{"gene_ids"}));

    EXPECT_EQ(s.attr("/obsm", "encoding-type"), "dict");
    EXPECT_EQ(s.datasets["/obsm/X_umap"].shape, (std::vector<int64_t>{2, 2}));
    for (const char* g : {"/uns", "/layers", "/obsp", "/varm", "/varp"}) EXPECT_EQ(s.attr(g, "encoding-type"), "dict") << g;
}

TEST(H5adWrite, EveryCellWhenNoRowsAreGiven) {
    const CellMatrix m = small();
    io::H5adContent c;
    c.matrix = &m;
    test::RecordingH5Sink s;
    io::write_h5ad(c, s);
    EXPECT_EQ(s.int_attrs["/X@shape"], (std::vector<int64_t>{3, 4}));
    EXPECT_EQ(s.datasets["/X/indptr"].numbers, (std::vector<double>{0, 1, 1, 3}));
    EXPECT_TRUE(s.string_attrs["/obs@column-order"].empty());
}

TEST(H5adWrite, RefusesColumnsThatDoNotFit) {
    const CellMatrix m = small();
    auto fails = [&](io::H5adContent c, const std::string& says) {
        c.matrix = &m;
        test::RecordingH5Sink s;
        try {
            io::write_h5ad(c, s);
            ADD_FAILURE() << "no error, expected " << says;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
        }
    };
    io::H5adContent c;
    c.obs.push_back(io::H5adColumn::float32("short", {1, 2}));
    fails(c, "'short' has 2 values for 3 cells");
    c.obs = {io::H5adColumn::categorical("lab", {"A"}, {0, 1, 0})};
    fails(c, "'lab' has code 1 outside its 1 categories");
    c.obs = {io::H5adColumn::float32("x", {1, 2, 3}), io::H5adColumn::float32("x", {1, 2, 3})};
    fails(c, "'x' given twice");
    c.obs = {io::H5adColumn::float32("_index", {1, 2, 3})};
    fails(c, "reserved");
    c.obs.clear();
    c.obsm = {{"X_umap", 2, {1, 2, 3}}};
    fails(c, "obsm 'X_umap'");
    c.obsm.clear();
    c.rows = {3};
    fails(c, "row 3 outside");
}

}  // namespace
}  // namespace scpt
