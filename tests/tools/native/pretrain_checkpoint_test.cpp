// scpt pretrain --checkpoint DIR (tools/native/pretrain_checkpoint.hpp): a run stopped after k
// epochs and restarted with the same command writes the uninterrupted run's model, byte for byte.
#include "tools/native/pretrain_checkpoint.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/tools/scpt/pretrain_cli_util.hpp"

namespace scpt::native {
namespace {

const char* kSets[] = {"seurat_pbmc_small_unlabeled", "sctransform_pbmc_unlabeled"};

std::string data_args() { return test::quote_data(kSets[0]) + " " + test::quote_data(kSets[1]); }

TEST(PretrainCheckpoint, KeepsTheLastTwoEpochsAndResumesFromTheNewest) {
    test::TempDir dir;
    train::SingleProcess one;
    CheckpointDir ck(dir.file("ck"), 0, 1);
    EXPECT_FALSE(ck.latest(one));
    for (int e = 1; e <= 4; ++e) ck.save("state " + std::to_string(e), e);
    EXPECT_FALSE(test::path_exists(dir.file("ck/rank-0-of-1.epoch-2.ckpt")));
    EXPECT_TRUE(test::path_exists(dir.file("ck/rank-0-of-1.epoch-3.ckpt")));
    EXPECT_EQ(ck.latest(one).value_or(""), "state 4");
    EXPECT_EQ(ck.resumed_epochs(), 4);
    native::write_file_atomic(dir.file("plain"), "x");
    EXPECT_THROW(CheckpointDir bad(dir.file("plain"), 0, 1), InputError);
}

// A folder of a 2-rank run resumed by one process (or another count): refused with a message
// naming the folder and the count that wrote it, not a silent fresh start beside the old files.
TEST(PretrainCheckpoint, AnotherRankCountIsRefusedClearly) {
    test::TempDir dir;
    train::SingleProcess one;
    CheckpointDir two(dir.file("ck"), 1, 2);
    two.save("state of rank 1", 4);
    CheckpointDir mine(dir.file("ck"), 0, 1);
    try {
        mine.latest(one);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find(dir.file("ck")), std::string::npos) << m;
        EXPECT_NE(m.find("a run of 2 ranks"), std::string::npos) << m;
        EXPECT_NE(m.find("mpirun -np 2"), std::string::npos) << m;
    }
    // Files of its own count present: it resumes from them as before.
    mine.save("state of the single process", 2);
    EXPECT_EQ(mine.latest(one), std::optional<std::string>("state of the single process"));
}

TEST(PretrainCheckpoint, StoppedAndResumedWritesTheUninterruptedModel) {
    for (const char* s : kSets) SCPT_REQUIRE_DATA(std::string(s) + "/matrix.mtx.gz");
    test::TempDir dir;
    const std::string common = " --epochs 3 --seed 4 " + data_args();
    auto whole = test::run_pretrain("", "--out '" + dir.file("whole.scpt") + "' --checkpoint '" + dir.file("ck1") + "'" + common, dir);
    ASSERT_EQ(whole.status, 0) << whole.err;
    // Stopped in phase 1 and at the phase boundary (epoch 3 of 3).
    for (int k : {2, 3}) {
        const std::string ck = dir.file("ck-stop" + std::to_string(k)), out = dir.file("resumed" + std::to_string(k) + ".scpt");
        auto stopped = test::run_pretrain("", "--out '" + out + "' --checkpoint '" + ck + "' --stop-after-epochs " +
                                                  std::to_string(k) + common,
                                          dir);
        EXPECT_EQ(stopped.status, 130) << stopped.err;
        EXPECT_FALSE(test::path_exists(out));
        auto resumed = test::run_pretrain("", "--out '" + out + "' --checkpoint '" + ck + "'" + common, dir);
        ASSERT_EQ(resumed.status, 0) << resumed.err;
        EXPECT_NE(resumed.err.find("resuming from"), std::string::npos) << resumed.err;
        EXPECT_NE(resumed.err.find("after epoch " + std::to_string(k)), std::string::npos) << resumed.err;
        EXPECT_EQ(native::read_file(out), native::read_file(dir.file("whole.scpt"))) << "stopped after " << k;
    }
    // Another run's checkpoint is refused, not silently continued.
    auto other = test::run_pretrain("", "--out '" + dir.file("o.scpt") + "' --checkpoint '" + dir.file("ck1") +
                                            "' --epochs 3 --seed 5 " + data_args(),
                                    dir);
    EXPECT_EQ(other.status, 2);
    EXPECT_NE(other.err.find("another run"), std::string::npos) << other.err;
}

}  // namespace
}  // namespace scpt::native
