#include "core/train/pretrain_corpus.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/test_data.hpp"
#include "tools/native/input.hpp"

namespace scpt::train {
namespace {

// Two real datasets with different genes and value scales (UMI counts from CEL-seq2 and 10x):
// one shared vocabulary, one encoder, and notes saying what was done to each.
TEST(PretrainCorpus, BuildsAModelOverTheUnionOfGenes) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    std::vector<CorpusDataset> ds(2);
    ds[0].name = "cellbench_celseq2_3cl";
    ds[0].matrix = native::read_input(test::data_path(ds[0].name));
    ds[1].name = "seurat_pbmc_small_unlabeled";
    ds[1].matrix = native::read_input(test::data_path(ds[1].name));
    const int64_t g0 = ds[0].matrix.n_genes, g1 = ds[1].matrix.n_genes;
    CorpusOptions o;
    o.pretrain.max_epochs = 2;
    o.pretrain.phases = 1;
    o.pretrain.hidden = 16;
    o.pretrain.seed = 3;
    auto r = pretrain_model(ds, o);
    const int64_t V = int64_t(r.model.info.genes.size());
    // CellBench names 5161 genes only by an Ensembl id and no id table is given: those are left
    // out, with a note; the other genes are in (repeated symbols count once).
    EXPECT_GE(V, (g0 - 5161) * 99 / 100);
    EXPECT_LE(V, g0 + g1 - 5161);
    bool told = false;
    for (auto& n : r.notes) told |= n.find("5161 genes named only by an Ensembl id") != std::string::npos;
    EXPECT_TRUE(told);
    EXPECT_EQ(r.model.encoder.genes, V);
    EXPECT_EQ(r.model.encoder.hidden, 16);
    EXPECT_EQ(int64_t(r.model.encoder.f32.size()), V * 16);
    EXPECT_EQ(r.model.encoder.dtype, DType::F32);
    EXPECT_EQ(r.model.info.datasets, (std::vector<std::string>{"cellbench_celseq2_3cl", "seurat_pbmc_small_unlabeled"}));
    EXPECT_EQ(r.model.info.transform, Transform::CountsPer10kLog1p);  // the default (docs/ANNOTATE.md)
    EXPECT_EQ(r.model.info.seed, 3u);
    EXPECT_EQ(r.training.log.size(), 2u);
    EXPECT_NE(r.model.info.notes.find("final loss"), std::string::npos);
    ASSERT_GE(r.notes.size(), 2u);
    EXPECT_NE(r.notes[0].find("cellbench_celseq2_3cl: 240 cells"), std::string::npos) << r.notes[0];
    EXPECT_EQ(ds[0].matrix.n_cells, 0);  // consumed
    for (float w : r.model.encoder.f32) ASSERT_TRUE(std::isfinite(w));
}

}  // namespace
}  // namespace scpt::train
