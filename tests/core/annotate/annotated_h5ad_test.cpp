// Which columns an annotated .h5ad gets from the predictions (core/annotate/annotated_h5ad.hpp).
#include "core/annotate/annotated_h5ad.hpp"

#include <gtest/gtest.h>

namespace scpt {
namespace {

TEST(AnnotatedH5ad, LabelConfidenceUnassignedClosestAndTheInputsOwnColumns) {
    CellMatrix m;
    m.n_cells = 3;
    m.n_genes = 1;
    m.indptr = {0, 0, 0, 0};
    m.barcodes = {"a", "b", "c"};
    ObsColumn batch;
    batch.name = "batch";
    batch.levels = {"x", "y"};
    batch.codes = {0, 1, 1};
    ObsColumn clash;  // the input's own column of one of our names is left out
    clash.name = "scpretrain_label";
    clash.levels = {"old"};
    clash.codes = {0, 0, 0};
    m.obs = {batch, clash};
    annotate::Predictions p;
    p.cells = {2, 0};
    p.label = {1, -1};
    p.best = {1, 0};
    p.confidence = {0.9f, 0.4f};
    p.typicality = {0.5f, 0.001f};
    p.embedding.resize(2, 3);
    p.embedding << 1, 2, 3, 4, 5, 6;
    const io::H5adContent c = annotate::annotated_h5ad(m, p, {"B cell", "T cell"}, {0, 1, 2, 3});
    ASSERT_EQ(c.obs.size(), 6u);
    EXPECT_EQ(c.obs[0].name, "scpretrain_label");
    EXPECT_EQ(c.obs[0].categories, (std::vector<std::string>{"B cell", "T cell", "Unassigned"}));
    EXPECT_EQ(c.obs[0].codes, (std::vector<int32_t>{1, 2}));
    EXPECT_EQ(c.obs[1].name, "scpretrain_confidence");
    EXPECT_EQ(c.obs[2].name, "scpretrain_unassigned");
    EXPECT_EQ(c.obs[2].flags, (std::vector<uint8_t>{0, 1}));
    EXPECT_EQ(c.obs[3].name, "scpretrain_closest");
    EXPECT_EQ(c.obs[3].categories, (std::vector<std::string>{"B cell", "T cell"}));  // no Unassigned here
    EXPECT_EQ(c.obs[3].codes, (std::vector<int32_t>{1, 0}));
    EXPECT_EQ(c.obs[4].name, "scpretrain_typicality");
    EXPECT_EQ(c.obs[5].name, "batch");
    EXPECT_EQ(c.obs[5].codes, (std::vector<int32_t>{1, 0}));  // rows 2 and 0
    ASSERT_EQ(c.obsm.size(), 2u);
    EXPECT_EQ(c.obsm[0].name, "X_scpretrain");
    EXPECT_EQ(c.obsm[0].values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(c.obsm[1].name, "X_umap");
    EXPECT_EQ(c.rows, (std::vector<int64_t>{2, 0}));
    EXPECT_THROW(annotate::annotated_h5ad(m, p, {"B cell", "T cell"}, {0, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace scpt
