// scpt pretrain --chunk-cells N (out of core: datasets spilled to a scratch file and read back in
// chunks), run as a user would on real raw-count 10x folders: a chunk as large as the corpus
// writes the in-memory model; small chunks stopped and resumed from a checkpoint write the
// uninterrupted model; under mpirun -np 2 small chunks give -np 1's encoder within rounding (the
// chunking depends on the corpus, not on the ranks). The scratch files are gone afterwards.
#include <gtest/gtest.h>

#include "tests/tools/scpt/pretrain_cli_util.hpp"
#include "tools/native/model_files.hpp"
#include "tools/native/mpi_collective.hpp"

namespace scpt {
namespace {

// 80 and 283 cells (363) over about 1,000 genes: small enough for a few seconds a run.
const char* kSets[] = {"seurat_pbmc_small_unlabeled", "sctransform_pbmc_unlabeled"};

#define SCPT_REQUIRE_SETS() \
    for (const char* s : kSets) SCPT_REQUIRE_DATA(std::string(s) + "/matrix.mtx.gz")

std::string data_args() {
    std::string s;
    for (const char* d : kSets) s += " " + test::quote_data(d);
    return s;
}

bool empty_dir(const std::string& d) { return std::system(("test -z \"$(ls -A '" + d + "')\"").c_str()) == 0; }

TEST(CliPretrainStream, ACorpusSizedChunkWritesTheInMemoryModel) {
    SCPT_REQUIRE_SETS();
    test::TempDir dir;
    const std::string common = " --epochs 2 --seed 4" + data_args();
    auto mem = test::run_pretrain("", "--out '" + dir.file("mem.scpt") + "'" + common, dir);
    ASSERT_EQ(mem.status, 0) << mem.err;
    ASSERT_EQ(std::system(("mkdir '" + dir.file("scratch") + "'").c_str()), 0);
    auto st = test::run_pretrain("", "--out '" + dir.file("st.scpt") + "' --chunk-cells 363 --scratch '" + dir.file("scratch") + "'" + common, dir);
    ASSERT_EQ(st.status, 0) << st.err;
    const Model a = native::load_model(dir.file("mem.scpt")), b = native::load_model(dir.file("st.scpt"));
    EXPECT_EQ(a.encoder.f32, b.encoder.f32);
    EXPECT_EQ(a.encoder.bias, b.encoder.bias);
    EXPECT_TRUE(empty_dir(dir.file("scratch")));
}

TEST(CliPretrainStream, SmallChunksStoppedAndResumedWriteTheUninterruptedModel) {
    SCPT_REQUIRE_SETS();
    test::TempDir dir;
    const std::string common = " --epochs 2 --seed 3 --chunk-cells 100" + data_args();
    auto whole = test::run_pretrain("", "--out '" + dir.file("whole.scpt") + "'" + common, dir);
    ASSERT_EQ(whole.status, 0) << whole.err;
    const std::string ck = " --checkpoint '" + dir.file("ck") + "'", out = dir.file("resumed.scpt");
    auto stopped = test::run_pretrain("", "--out '" + out + "'" + ck + " --stop-after-epochs 3" + common, dir);
    EXPECT_NE(stopped.status, 0) << stopped.err;
    EXPECT_FALSE(test::path_exists(out));
    auto resumed = test::run_pretrain("", "--out '" + out + "'" + ck + common, dir);
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("after epoch 3"), std::string::npos) << resumed.err;
    EXPECT_EQ(native::load_model(out).encoder.f32, native::load_model(dir.file("whole.scpt")).encoder.f32);
    // Another chunk size is another run: its checkpoint is refused, naming the difference.
    auto other = test::run_pretrain("", "--out '" + dir.file("other.scpt") + "'" + ck + " --epochs 2 --seed 3 --chunk-cells 90" + data_args(), dir);
    EXPECT_EQ(other.status, 2) << other.err;
    EXPECT_NE(other.err.find("chunks of"), std::string::npos) << other.err;
}

TEST(CliPretrainStream, TwoRanksMatchOneWithinRounding) {
    SCPT_REQUIRE_SETS();
    if (!native::mpi_built()) GTEST_SKIP() << "scpt was built without MPI (tools/setup, rebuild)";
    if (!test::have_mpirun()) GTEST_SKIP() << "mpirun is not installed (openmpi-bin)";
    test::TempDir dir;
    const std::string common = " --epochs 2 --seed 9 --chunk-cells 120" + data_args();
    auto one = test::run_pretrain("", "--out '" + dir.file("np1.scpt") + "'" + common, dir);
    ASSERT_EQ(one.status, 0) << one.err;
    auto two = test::run_pretrain("mpirun -np 2 --oversubscribe", "--out '" + dir.file("np2.scpt") + "'" + common, dir);
    ASSERT_EQ(two.status, 0) << two.err;
    const Model m1 = native::load_model(dir.file("np1.scpt")), m2 = native::load_model(dir.file("np2.scpt"));
    // The tolerance of cmd_pretrain_mpi_test.cpp (float sums in another order).
    EXPECT_LT(test::max_abs_diff(m2.encoder.f32, m1.encoder.f32), 1e-5);
}

}  // namespace
}  // namespace scpt
