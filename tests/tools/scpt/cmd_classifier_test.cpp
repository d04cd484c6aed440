// The model zoo from the command line: `scpt annotate --classifier NAME --query Q` with the shipped
// model (models/default.scpt, found without --model), `scpt inspect` listing the classifiers, and
// `scpt classifier` describing and removing one; the errors a user meets.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/test_data.hpp"
#include "tests/tools/cli_run.hpp"
#include "tools/native/model_files.hpp"

namespace scpt::test {
namespace {

const std::string kModel = std::string(SCPT_SOURCE_DIR) + "/models/default.scpt";

TEST(CliClassifier, AnnotatesWithAShippedClassifierAndNoReference) {
    SCPT_REQUIRE_DATA("garnett_zheng_sorted_pbmc/matrix.mtx.gz");
    TempDir dir;
    const auto r = run_scpt("annotate --classifier human_pbmc --query " + quoted(data_path("garnett_zheng_sorted_pbmc")) +
                                " --out " + quoted(dir.file("pred.tsv")),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream in(slurp(dir.file("pred.tsv")));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "barcode\tlabel\tconfidence");
    int64_t rows = 0, b = 0;
    while (std::getline(in, line)) {
        ++rows;
        b += line.find("\tB\t") != std::string::npos;
    }
    EXPECT_EQ(rows, 800);
    EXPECT_GT(b, 300);  // 400 FACS-sorted B cells
    EXPECT_NE(r.err.find("classifier human_pbmc"), std::string::npos) << r.err;
}

// Asked for by name, a classifier made for other cells still runs, with a warning naming the figures
// (core/annotate/classifier_fit.hpp); one of the cells' kind runs without it.
TEST(CliClassifier, WarnsWhenTheClassifierDoesNotFitTheCells) {
    SCPT_REQUIRE_DATA("ting_mouse_ctc/matrix.mtx.gz");  // mouse pancreatic tumour cells
    SCPT_REQUIRE_DATA("garnett_zheng_sorted_pbmc/matrix.mtx.gz");
    TempDir dir;
    auto r = run_scpt("annotate --classifier human_pbmc --query " + quoted(data_path("ting_mouse_ctc")) + " --out " +
                          quoted(dir.file("pred.tsv")),
                      dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string pred = slurp(dir.file("pred.tsv"));
    EXPECT_EQ(std::count(pred.begin(), pred.end(), '\n'), 150);  // a header and every cell
    EXPECT_NE(r.err.find("warning: classifier human_pbmc does not fit"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("mouse cells, a human classifier"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("% of 149 sampled cells typical of its types"), std::string::npos) << r.err;
    r = run_scpt("annotate --classifier human_pbmc --query " + quoted(data_path("garnett_zheng_sorted_pbmc")) + " --out " +
                     quoted(dir.file("pbmc.tsv")),
                 dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find("does not fit"), std::string::npos) << r.err;
}

TEST(CliClassifier, InspectListsTheClassifiers) {
    TempDir dir;
    const auto r = run_scpt("inspect " + quoted(kModel), dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    std::vector<std::string> names;
    for (const auto& c : j.at("classifiers")) {
        names.push_back(c.at("name"));
        EXPECT_EQ(c.at("head"), "linear");
        EXPECT_GT(c.at("classes").size(), 1u);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"human_pbmc", "human_pancreas", "lung_cell_lines"}));
}

TEST(CliClassifier, ErrorsNameTheProblem) {
    SCPT_REQUIRE_DATA("garnett_zheng_sorted_pbmc/matrix.mtx.gz");
    TempDir dir;
    const std::string q = quoted(data_path("garnett_zheng_sorted_pbmc"));
    auto r = run_scpt("annotate --classifier liver --query " + q + " --out " + quoted(dir.file("p.tsv")), dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("no classifier of that name (it has: human_pbmc"), std::string::npos) << r.err;
    r = run_scpt("annotate --classifier human_pbmc --out " + quoted(dir.file("p.tsv")), dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--query"), std::string::npos) << r.err;
    r = run_scpt("annotate --out " + quoted(dir.file("p.tsv")), dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--reference"), std::string::npos) << r.err;
}

TEST(CliClassifier, DescribesAndRemovesOne) {
    TempDir dir;
    const std::string out = dir.file("m.scpt");
    auto r = run_scpt("classifier --model " + quoted(kModel) + " --out " + quoted(out) +
                          " --name human_pancreas --description 'islets, measured nowhere'",
                      dir);
    ASSERT_EQ(r.status, 0) << r.err;
    Model m = native::load_model(out);
    ASSERT_NE(m.find_classifier("human_pancreas"), nullptr);
    EXPECT_EQ(m.find_classifier("human_pancreas")->description, "islets, measured nowhere");
    r = run_scpt("classifier --model " + quoted(out) + " --out " + quoted(out) + " --name human_pancreas --remove", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    m = native::load_model(out);
    EXPECT_EQ(m.find_classifier("human_pancreas"), nullptr);
    EXPECT_EQ(m.classifiers.size(), 2u);
    r = run_scpt("classifier --model " + quoted(out) + " --out " + quoted(out) + " --name human_pancreas --remove", dir);
    EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace scpt::test
