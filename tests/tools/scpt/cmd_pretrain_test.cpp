// scpt pretrain, run as a user would: the built binary on real datasets, the model read back.
#include <gtest/gtest.h>
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "core/annotate/annotate.hpp"
#include "core/train/pretrain_corpus.hpp"
#include "tests/io_test_util.hpp"
#include "tests/test_data.hpp"
#include "tools/native/files.hpp"
#include "tools/native/model_files.hpp"

namespace scpt {
namespace {

struct CliRun {
    int status = -1;
    std::string err;
};

CliRun pretrain_cli(const std::string& args, const test::TempDir& dir) {
    const std::string cmd = std::string("'") + SCPT_CLI_PATH + "' pretrain " + args + " 2>'" + dir.file("err") + "'";
    int st = std::system(cmd.c_str());
    CliRun r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.err = native::read_file(dir.file("err"));
    return r;
}

std::vector<std::string> files_in(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d))
            if (e->d_name[0] != '.') out.push_back(e->d_name);
        closedir(d);
    }
    return out;
}

std::string q(const std::string& rel) { return "'" + test::data_path(rel) + "'"; }

TEST(CliPretrain, WritesAModelThatReadsBackTheSameForAnyThreadCount) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("sctransform_pbmc_unlabeled/matrix.mtx.gz");
    test::TempDir dir;
    const std::string data = q("seurat_pbmc_small_unlabeled") + " " + q("sctransform_pbmc_unlabeled");
    CliRun a = pretrain_cli("--out '" + dir.file("a.scpt") + "' --epochs 2 --seed 5 " + data, dir);
    ASSERT_EQ(a.status, 0) << a.err;
    EXPECT_NE(a.err.find("phase 2 epoch 2 loss"), std::string::npos) << a.err;
    EXPECT_NE(a.err.find("wrote "), std::string::npos);
    CliRun b = pretrain_cli("--out '" + dir.file("b.scpt") + "' --epochs 2 --seed 5 --threads 2 " + data, dir);
    ASSERT_EQ(b.status, 0) << b.err;
    Model ma = native::load_model(dir.file("a.scpt")), mb = native::load_model(dir.file("b.scpt"));
    EXPECT_EQ(ma.info.datasets, (std::vector<std::string>{"seurat_pbmc_small_unlabeled", "sctransform_pbmc_unlabeled"}));
    EXPECT_EQ(ma.info.seed, 5u);
    EXPECT_EQ(ma.info.transform, Transform::CountsPer10kLog1p);  // the default (docs/ANNOTATE.md)
    EXPECT_GE(ma.info.genes.size(), 914u);
    EXPECT_EQ(ma.encoder.genes, int64_t(ma.info.genes.size()));
    EXPECT_EQ(ma.encoder.hidden, 200);
    EXPECT_EQ(ma.encoder.f32, mb.encoder.f32);
    EXPECT_EQ(ma.encoder.bias, mb.encoder.bias);
    EXPECT_NE(ma.info.notes.find("--epochs 2"), std::string::npos);
}

// Counts per 10k then log1p is the default (it transferred better across technologies, EVALUATION.md);
// scPretrain's log1p of counts stays one option away, and is what the model records.
TEST(CliPretrain, TheTransformIsRecordedAndLog1pStaysAnOption) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    test::TempDir dir;
    CliRun r = pretrain_cli("--out '" + dir.file("m.scpt") + "' --epochs 1 --phases 1 --transform log1p " +
                                q("seurat_pbmc_small_unlabeled"),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(native::load_model(dir.file("m.scpt")).info.transform, Transform::Log1p);
    EXPECT_EQ(train::CorpusOptions{}.transform, Transform::CountsPer10kLog1p);
    EXPECT_EQ(annotate::AnnotateOptions{}.transform_without_model, Transform::CountsPer10kLog1p);
}

TEST(CliPretrain, BadInputOrDestinationFailsClearlyAndLeavesNoFile) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    test::TempDir dir;
    CliRun r = pretrain_cli("--out '" + dir.file("no/such/dir/m.scpt") + "' " + q("seurat_pbmc_small_unlabeled"), dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("no/such/dir/m.scpt"), std::string::npos) << r.err;
    r = pretrain_cli("--out '" + dir.file("m.scpt") + "' " + q("seurat_pbmc_small_unlabeled") + " '" +
                         dir.file("missing_folder") + "'",
                     dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("missing_folder"), std::string::npos) << r.err;
    EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"err"});
}

TEST(CliPretrain, InterruptLeavesNoFile) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    test::TempDir dir;
    const std::string out = dir.file("m.scpt"), data = test::data_path("cellbench_celseq2_3cl");
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        execl(SCPT_CLI_PATH, SCPT_CLI_PATH, "pretrain", "--out", out.c_str(), "--epochs", "1000", data.c_str(),
              (char*)nullptr);
        _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(pid, SIGINT);
    int st = 0;
    waitpid(pid, &st, 0);
    ASSERT_TRUE(WIFEXITED(st));
    EXPECT_EQ(WEXITSTATUS(st), 130);
    EXPECT_TRUE(files_in(dir.path()).empty());
}

}  // namespace
}  // namespace scpt
