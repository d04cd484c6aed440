// Runs the real `scpt info` binary (SCPT_CLI_PATH) on fixtures and on a bad file.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "tests/io_test_util.hpp"

namespace scpt {
namespace {

struct CliRun {
    int status = -1;
    std::string out, err;
};

CliRun run_cli(const std::string& args) {
    test::TempDir dir;
    std::string cmd = std::string(SCPT_CLI_PATH) + " " + args + " >" + dir.file("out") + " 2>" + dir.file("err");
    int rc = std::system(cmd.c_str());
    CliRun r;
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = test::slurp(dir.file("out"));
    r.err = test::slurp(dir.file("err"));
    return r;
}

TEST(CliInfo, DescribesAnAnnDataFileAsJson) {
    const std::string p = test::data_path("fixtures/h5ad/10x_pbmc68k_reduced.h5ad");
    SCPT_REQUIRE_DATA("fixtures/h5ad/10x_pbmc68k_reduced.h5ad");
    CliRun r = run_cli("info --raw '" + p + "'");
    ASSERT_EQ(r.status, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format"], "h5ad");
    EXPECT_EQ(j["cells"], 700);
    EXPECT_EQ(j["genes"], 765);
    EXPECT_EQ(j["value_kind"], "log_normalized");
    EXPECT_EQ(j["obs"]["bulk_labels"]["levels"], 10);
    EXPECT_EQ(j["obs"]["bulk_labels"]["kind"], "categorical");
    EXPECT_EQ(j["obs"]["n_counts"]["kind"], "numeric");
    CliRun x = run_cli("info '" + p + "'");
    ASSERT_EQ(x.status, 0);
    EXPECT_EQ(nlohmann::json::parse(x.out)["value_kind"], "scaled");
}

TEST(CliInfo, TenxFolderCountsMatchTheFiles) {
    const std::string d = "fixtures/seurat_testdata/cr3.0";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    CliRun r = run_cli("info '" + test::data_path(d) + "'");
    ASSERT_EQ(r.status, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format"], "10x_folder");
    EXPECT_EQ(j["genes"], 3);  // 5 features, 2 of them Antibody Capture
    EXPECT_EQ(j["cells"], 5);
    EXPECT_EQ(j["value_kind"], "raw_counts");
    // The antibody features set aside, and the cell left without any gene expression value.
    ASSERT_EQ(j["notes"].size(), 2u);
    EXPECT_NE(j["notes"][0].get<std::string>().find("set aside 2 features"), std::string::npos) << j["notes"];
    EXPECT_NE(j["notes"][1].get<std::string>().find("1 of 5 cells have no expression values"), std::string::npos) << j["notes"];
}

TEST(CliInfo, BadFileExitsWithStatus2AndOneLine) {
    test::TempDir dir;
    test::spit(dir.file("broken.mtx"), "%%MatrixMarket matrix coordinate integer general\n3 3 2\n1 1 1\n");
    CliRun r = run_cli("info '" + dir.file("broken.mtx") + "'");
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.out.empty());
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(dir.file("broken.mtx")), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cut short"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace scpt
