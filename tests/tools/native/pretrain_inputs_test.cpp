// scpt pretrain --corpus FILE (tools/native/pretrain_inputs.hpp): the manifest's format, and a
// manifest run gives the model of the same paths on the command line.
#include "tools/native/pretrain_inputs.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/tools/scpt/pretrain_cli_util.hpp"
#include "tools/native/model_files.hpp"

namespace scpt::native {
namespace {

TEST(PretrainInputs, ManifestSkipsCommentsAndBlankLinesAndResolvesRelativePaths) {
    const std::string text = "# my corpus\n\n  a/matrix.mtx.gz\n/abs/b.h5ad  \r\n\t# indented comment\nc\n";
    EXPECT_EQ(parse_corpus_manifest(text, "/data/corpus.txt"),
              (std::vector<std::string>{"/data/a/matrix.mtx.gz", "/abs/b.h5ad", "/data/c"}));
    EXPECT_EQ(parse_corpus_manifest("x\n", "corpus.txt"), std::vector<std::string>{"x"});
    try {
        parse_corpus_manifest("# nothing\n\n", "empty.txt");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("empty.txt"), std::string::npos);
    }
}

TEST(PretrainInputs, OneProcessReadsEveryDatasetInCorpusOrder) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("sctransform_pbmc_unlabeled/matrix.mtx.gz");
    train::SingleProcess one;
    std::vector<int> owner;
    auto ds = read_shard({test::data_path("seurat_pbmc_small_unlabeled"), test::data_path("sctransform_pbmc_unlabeled")},
                         one, RunControl{}, &owner);
    ASSERT_EQ(ds.size(), 2u);
    EXPECT_EQ(ds[0].corpus_index, 0);
    EXPECT_EQ(ds[1].name, "sctransform_pbmc_unlabeled");
    EXPECT_EQ(ds[1].matrix.n_cells, 283);
    EXPECT_EQ(owner, (std::vector<int>{0, 0}));
}

TEST(PretrainInputs, AManifestTrainsTheModelOfTheSamePathsGivenDirectly) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("sctransform_pbmc_unlabeled/matrix.mtx.gz");
    test::TempDir dir;
    native::write_file_atomic(dir.file("corpus.txt"), "# two PBMC sets\n" + test::data_path("seurat_pbmc_small_unlabeled") +
                                                          "\n\n" + test::data_path("sctransform_pbmc_unlabeled") + "\n");
    const std::string common = " --epochs 1 --phases 1 --seed 2 ";
    auto a = test::run_pretrain("", "--out '" + dir.file("a.scpt") + "'" + common + "--corpus '" + dir.file("corpus.txt") + "'", dir);
    ASSERT_EQ(a.status, 0) << a.err;
    auto b = test::run_pretrain("", "--out '" + dir.file("b.scpt") + "'" + common + test::quote_data("seurat_pbmc_small_unlabeled") +
                                        " " + test::quote_data("sctransform_pbmc_unlabeled"),
                                dir);
    ASSERT_EQ(b.status, 0) << b.err;
    Model ma = native::load_model(dir.file("a.scpt")), mb = native::load_model(dir.file("b.scpt"));
    EXPECT_EQ(ma.info.datasets, mb.info.datasets);
    EXPECT_EQ(ma.encoder.f32, mb.encoder.f32);
    auto none = test::run_pretrain("", "--out '" + dir.file("c.scpt") + "'" + common, dir);
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("no datasets"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace scpt::native
