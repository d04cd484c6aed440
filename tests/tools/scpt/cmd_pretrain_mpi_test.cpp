// mpirun -np N scpt pretrain (docs/PRETRAIN.md), run as a user would on real raw-count sets:
// -np 1 is the plain run bit for bit; -np 2 (datasets split between the ranks, the encoder's
// gradient summed by MPI_Allreduce) gives an encoder equal to -np 1's within rounding and the same
// labels downstream; only rank 0 prints and writes; a -np 2 run stopped and resumed from its
// checkpoints writes the uninterrupted -np 2 model. Skipped when scpt was built without MPI or
// mpirun is absent.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tests/tools/scpt/pretrain_cli_util.hpp"
#include "tools/native/model_files.hpp"
#include "tools/native/mpi_collective.hpp"

namespace scpt {
namespace {

// 80, 283 and 200 cells over 16651 genes, 4,456, 82,904 and 387,353 stored values: balance_datasets
// gives rank 0 pbmc5k (387,353) and rank 1 the other two (82,904 + 4,456).
const char* kSets[] = {"seurat_pbmc_small_unlabeled", "sctransform_pbmc_unlabeled", "pbmc5k_cite_10xv3_subset"};
const std::string kTwoRanks = "mpirun -np 2 --oversubscribe";

// Encoders of -np 1 and -np 2 after 6 epochs differ by the float rounding of the summed gradient,
// which Adam's division by sqrt(v) enlarges for genes with tiny gradients: measured 5.6e-7 here
// (weights start in +-0.0077), 2.4e-8 on the synthetic corpus of pretrain_shard_test.cpp.
constexpr double kEncoderTolerance = 1e-5;

#define SCPT_REQUIRE_MPI()                                                                          \
    do {                                                                                            \
        if (!native::mpi_built()) GTEST_SKIP() << "scpt was built without MPI (tools/setup, rebuild)"; \
        if (!test::have_mpirun()) GTEST_SKIP() << "mpirun is not installed (openmpi-bin)";           \
        for (const char* s : kSets) SCPT_REQUIRE_DATA(std::string(s) + "/matrix.mtx.gz");           \
    } while (0)

std::string data_args() {
    std::string s;
    for (const char* d : kSets) s += " " + test::quote_data(d);
    return s;
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

// Labels of soupx_pbmc4k_10x from a head fine-tuned on the FACS-sorted Zheng PBMC with `model`.
std::map<std::string, std::string> labels_with(const std::string& model, const test::TempDir& dir) {
    const std::string out = model + ".labels.tsv";
    const std::string cmd = std::string("'") + SCPT_CLI_PATH + "' annotate --model '" + model + "' --finetune head --reference " +
                            test::quote_data("garnett_zheng_sorted_pbmc") + " --labels " +
                            test::quote_data("garnett_zheng_sorted_pbmc/labels.tsv") + " --query " +
                            test::quote_data("soupx_pbmc4k_10x") + " --out '" + out + "' 2>'" + dir.file("annotate.err") + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << native::read_file(dir.file("annotate.err"));
    std::map<std::string, std::string> labels;
    std::istringstream in(native::read_file(out));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        const size_t a = line.find('\t'), b = line.find('\t', a + 1);
        labels[line.substr(0, a)] = line.substr(a + 1, b - a - 1);
    }
    return labels;
}

TEST(CliPretrainMpi, TwoRanksMatchOneWithinRoundingAndLabelTheSame) {
    SCPT_REQUIRE_MPI();
    SCPT_REQUIRE_DATA("garnett_zheng_sorted_pbmc/labels.tsv");
    SCPT_REQUIRE_DATA("soupx_pbmc4k_10x/matrix.mtx.gz");
    test::TempDir dir;
    const std::string common = " --epochs 3 --seed 9" + data_args();
    auto plain = test::run_pretrain("", "--out '" + dir.file("plain.scpt") + "'" + common, dir);
    ASSERT_EQ(plain.status, 0) << plain.err;
    auto one = test::run_pretrain("mpirun -np 1", "--out '" + dir.file("np1.scpt") + "'" + common, dir);
    ASSERT_EQ(one.status, 0) << one.err;
    EXPECT_EQ(native::read_file(dir.file("np1.scpt")), native::read_file(dir.file("plain.scpt")));
    auto two = test::run_pretrain(kTwoRanks, "--out '" + dir.file("np2.scpt") + "'" + common, dir);
    ASSERT_EQ(two.status, 0) << two.err;
    // Rank 0 alone prints: one line per epoch, one "wrote".
    EXPECT_EQ(count(two.err, "wrote "), 1) << two.err;
    EXPECT_EQ(count(two.err, "phase 2 epoch 3 loss"), 1) << two.err;
    EXPECT_NE(two.err.find("2 ranks"), std::string::npos) << two.err;

    const Model m1 = native::load_model(dir.file("np1.scpt")), m2 = native::load_model(dir.file("np2.scpt"));
    EXPECT_EQ(m2.info.datasets, m1.info.datasets);
    ASSERT_EQ(m2.info.genes.size(), m1.info.genes.size());
    for (size_t g = 0; g < m1.info.genes.size(); ++g) ASSERT_EQ(m2.info.genes[g].human_symbol + "|" + m2.info.genes[g].mouse_symbol, m1.info.genes[g].human_symbol + "|" + m1.info.genes[g].mouse_symbol) << g;
    const double d = test::max_abs_diff(m2.encoder.f32, m1.encoder.f32);
    std::printf("max |np2 - np1| encoder weight: %.3g\n", d);
    EXPECT_LT(d, kEncoderTolerance);
    EXPECT_LT(test::max_abs_diff(m2.encoder.bias, m1.encoder.bias), kEncoderTolerance);

    const auto l1 = labels_with(dir.file("np1.scpt"), dir), l2 = labels_with(dir.file("np2.scpt"), dir);
    ASSERT_GT(l1.size(), 2000u);
    EXPECT_EQ(l1, l2);
}

TEST(CliPretrainMpi, TwoRanksStoppedAndResumedWriteTheUninterruptedModel) {
    SCPT_REQUIRE_MPI();
    test::TempDir dir;
    const std::string common = " --epochs 2 --seed 3" + data_args();
    auto whole = test::run_pretrain(kTwoRanks, "--out '" + dir.file("whole.scpt") + "'" + common, dir);
    ASSERT_EQ(whole.status, 0) << whole.err;
    const std::string ck = " --checkpoint '" + dir.file("ck") + "'", out = dir.file("resumed.scpt");
    auto stopped = test::run_pretrain(kTwoRanks, "--out '" + out + "'" + ck + " --stop-after-epochs 3" + common, dir);
    EXPECT_NE(stopped.status, 0) << stopped.err;
    EXPECT_FALSE(test::path_exists(out));
    EXPECT_TRUE(test::path_exists(dir.file("ck/rank-1-of-2.epoch-3.ckpt")));
    auto resumed = test::run_pretrain(kTwoRanks, "--out '" + out + "'" + ck + common, dir);
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("after epoch 3"), std::string::npos) << resumed.err;
    EXPECT_EQ(native::read_file(out), native::read_file(dir.file("whole.scpt")));
}

TEST(CliPretrainMpi, AnErrorOnOneRankEndsTheJob) {
    SCPT_REQUIRE_MPI();
    test::TempDir dir;
    // Rank 1 reads the missing dataset (every second one to count cells) while rank 0 waits.
    auto r = test::run_pretrain(kTwoRanks, "--out '" + dir.file("m.scpt") + "' --epochs 1 " +
                                               test::quote_data(kSets[0]) + " '" + dir.file("missing") + "'",
                                dir);
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
    EXPECT_FALSE(test::path_exists(dir.file("m.scpt")));
}

// OpenMPI's mpirun ends its ranks on Ctrl-C (a signal, then SIGKILL): no model and no temporary
// file may be left, since rank 0 opens the model file only after training.
TEST(CliPretrainMpi, InterruptedJobLeavesNoFile) {
    SCPT_REQUIRE_MPI();
    test::TempDir dir;
    const std::string cmd = "cd '" + dir.path() + "' && OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + kTwoRanks +
                            " '" + SCPT_CLI_PATH + "' pretrain --out m.scpt --epochs 1000" + data_args() +
                            " 2>/dev/null & p=$!; sleep 3; kill -INT $p; wait $p";
    const int st = std::system(cmd.c_str());  // std::system runs it with sh
    EXPECT_NE(st, 0);
    const int files = std::system(("test -z \"$(ls -A '" + dir.path() + "')\"").c_str());
    EXPECT_EQ(files, 0) << "left behind in " << dir.path();
}

}  // namespace
}  // namespace scpt
