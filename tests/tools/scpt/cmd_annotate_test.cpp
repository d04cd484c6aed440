// scpt annotate, eval and embed run as a user would: the built binary on real shared datasets,
// with a small model pre-trained by `scpt pretrain` in the test (a few seconds), PRED.tsv read
// back and scored against the datasets' own labels.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "core/io/barcode_match.hpp"
#include "core/util/rng.hpp"
#include "tests/test_data.hpp"
#include "tests/tools/cli_run.hpp"

namespace scpt {
namespace {

using test::quoted;

std::string data(const std::string& name) { return quoted(test::data_path(name)); }

// A model pre-trained once for this file (PBMC, unlabelled sets only), or "" without the data.
const std::string& model_path() {
    static std::unique_ptr<test::TempDir> dir;
    static std::string path = [] {
        if (!test::path_exists(test::data_path("kang_pbmc_ctrl_stim_unlabeled/matrix.mtx.gz"))) return std::string();
        dir = std::make_unique<test::TempDir>();
        const std::string p = dir->file("tiny.scpt");
        auto r = test::run_scpt("pretrain --out " + quoted(p) + " --epochs 10 --phases 1 --seed 1 " +
                                    data("kang_pbmc_ctrl_stim_unlabeled") + " " + data("sctransform_pbmc_unlabeled"),
                                *dir);
        EXPECT_EQ(r.status, 0) << r.err;
        return r.status == 0 ? p : std::string();
    }();
    return path;
}

std::map<std::string, std::string> read_labels(const std::string& path) {
    std::map<std::string, std::string> m;
    std::istringstream in(test::slurp(path));
    for (std::string line; std::getline(in, line);) {
        const size_t t = line.find('\t');
        if (t != std::string::npos) m[line.substr(0, t)] = line.substr(t + 1);
    }
    return m;
}

std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(test::slurp(path));
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> f;
        std::istringstream ls(line);
        for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
        rows.push_back(f);
    }
    return rows;
}

// Share of PRED.tsv rows whose label is the truth.
double accuracy(const std::vector<std::vector<std::string>>& pred, const std::map<std::string, std::string>& truth) {
    int64_t ok = 0;
    for (size_t i = 1; i < pred.size(); ++i) ok += truth.at(pred[i][0]) == pred[i][1];
    return double(ok) / double(pred.size() - 1);
}

int lines(const std::string& s) { return int(std::count(s.begin(), s.end(), '\n')); }

#define REQUIRE_MODEL()                                                    \
    SCPT_REQUIRE_DATA("kang_pbmc_ctrl_stim_unlabeled/matrix.mtx.gz");      \
    ASSERT_FALSE(model_path().empty())

// One dataset, two thirds of its cells labelled: the rest are predicted.
TEST(CliAnnotate, LabelsTheRestOfADatasetAndWritesPredTsv) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    const auto truth = read_labels(test::data_path("cellbench_celseq2_5cl/labels.tsv"));
    std::string partial = "barcode\tlabel\n";
    std::set<std::string> to_predict;
    int i = 0;
    for (const auto& [b, l] : truth) {
        if (i++ % 3 == 0) to_predict.insert(b);
        else partial += b + "\t" + l + "\n";
    }
    test::spit(dir.file("partial.tsv"), partial);
    auto r = test::run_scpt("annotate --reference " + data("cellbench_celseq2_5cl") + " --labels " +
                                quoted(dir.file("partial.tsv")) + " --out " + quoted(dir.file("pred.tsv")) +
                                " --model " + quoted(model_path()) + " --probabilities",
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("labelled " + std::to_string(to_predict.size()) + " cells"), std::string::npos) << r.err;
    const auto pred = read_tsv(dir.file("pred.tsv"));
    ASSERT_EQ(pred.size(), to_predict.size() + 1);
    EXPECT_EQ(pred[0], (std::vector<std::string>{"barcode", "label", "confidence", "A549", "H1975", "H2228", "H838",
                                                 "HCC827"}));
    for (size_t k = 1; k < pred.size(); ++k) {
        ASSERT_EQ(pred[k].size(), 8u);
        EXPECT_EQ(to_predict.count(pred[k][0]), 1u);
        const double conf = std::stod(pred[k][2]);
        EXPECT_GE(conf, 0.0);
        EXPECT_LE(conf, 1.0);
        double sum = 0;
        for (size_t c = 3; c < 8; ++c) sum += std::stod(pred[k][c]);
        EXPECT_NEAR(sum, 1.0, 2e-3);
    }
    // Five lung cancer cell lines; a 40% majority. Broken wiring (types or cells mixed up) cannot reach this.
    EXPECT_GT(accuracy(pred, truth), 0.95);
}

// A reference and a query from another plate series with different genes.
TEST(CliAnnotate, LabelsAQueryFromAnotherDataset) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/labels.tsv");
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    auto r = test::run_scpt("annotate --reference " + data("cellbench_celseq2_5cl") + " --label-column label --query " +
                                data("cellbench_celseq2_3cl") + " --out " + quoted(dir.file("pred.tsv")) +
                                " --model " + quoted(model_path()) + " --details",
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("genes are among the"), std::string::npos) << r.err;  // the match count is reported
    const auto pred = read_tsv(dir.file("pred.tsv"));
    ASSERT_EQ(pred.size(), 241u);
    EXPECT_EQ(pred[0], (std::vector<std::string>{"barcode", "label", "confidence", "closest", "typicality", "typicality_score"}));
    EXPECT_GT(accuracy(pred, read_labels(test::data_path("cellbench_celseq2_3cl/labels.tsv"))), 0.9);
}

TEST(CliAnnotate, NoPretrainedTrainsTheSameNetworkFromScratch) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    test::TempDir dir;
    const auto truth = read_labels(test::data_path("cellbench_celseq2_3cl/labels.tsv"));
    std::string partial;
    int i = 0;
    for (const auto& [b, l] : truth) partial += b + "\t" + (i++ % 2 ? l : std::string("NA")) + "\n";
    test::spit(dir.file("partial.tsv"), partial);
    auto r = test::run_scpt("annotate --reference " + data("cellbench_celseq2_3cl") + " --labels " +
                                quoted(dir.file("partial.tsv")) + " --out " + quoted(dir.file("pred.tsv")) +
                                " --no-pretrained --seed 3",
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("trained from scratch"), std::string::npos) << r.err;
    // Raw counts: per 10,000 then log1p by default (docs/ANNOTATE.md: it transfers better).
    EXPECT_NE(r.err.find("10000 x / cell total"), std::string::npos) << r.err;
    const auto pred = read_tsv(dir.file("pred.tsv"));
    EXPECT_EQ(pred.size(), 121u);
    EXPECT_GT(accuracy(pred, truth), 0.9);
}

TEST(CliAnnotate, BadInputExitsWithStatus2AndOneLineNamingTheProblem) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    test::TempDir dir;
    const std::string ref = data("cellbench_celseq2_3cl"), out = " --out " + quoted(dir.file("pred.tsv"));
    test::spit(dir.file("strangers.tsv"), "XXXX-1\tB\nYYYY-1\tT\n");
    test::spit(dir.file("one_type.tsv"), "barcode\tlabel\n" + [] {
        std::string s;
        int i = 0;
        for (const auto& [b, l] : read_labels(test::data_path("cellbench_celseq2_3cl/labels.tsv")))
            if (i++ % 2) s += b + "\tH1975\n";
        return s;
    }());
    struct Case {
        std::string args, expect;
    } cases[] = {
        {"--reference " + ref + " --labels " + quoted(dir.file("strangers.tsv")) + out,
         dir.file("strangers.tsv") + ": none of its 2 barcodes is a cell of"},
        {"--reference " + ref + " --labels " + quoted(dir.file("one_type.tsv")) + out, "has the same type 'H1975'"},
        {"--reference " + ref + out, "--labels FILE"},
        {"--reference " + ref + " --label-column celltype" + out, "has no metadata column 'celltype'"},
        {"--reference " + quoted(dir.file("missing")) + " --label-column label" + out, dir.file("missing")},
        {"--reference " + ref + " --label-column label" + out, "nothing to predict"},
        {"--reference " + ref + " --label-column label --query " + ref + out + " --model " + quoted(dir.file("no.scpt")),
         dir.file("no.scpt")},
        // The options come from core's table (core/app/annotate_settings.hpp): its checks and words.
        {"--reference " + ref + " --label-column label --query " + ref + out + " --alpha 2",
         "--alpha must be a number from 0 to 1 (it is 2)"},
        {"--reference " + ref + " --label-column label --query " + ref + out + " --finetune scratch",
         "--finetune must be one of head, full (it is scratch)"},
        {"--query " + ref + out + " --clusters 2.5", "--clusters must be a whole number from 0 to 20 (it is 2.5)"},
    };
    for (const auto& c : cases) {
        auto r = test::run_scpt("annotate --no-pretrained " + c.args, dir);
        if (c.args.find("--model") != std::string::npos) r = test::run_scpt("annotate " + c.args, dir);
        EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
        EXPECT_EQ(lines(r.err), 1) << r.err;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
        EXPECT_FALSE(test::path_exists(dir.file("pred.tsv"))) << c.args;
    }
}

TEST(CliAnnotate, LabelsOfUnknownBarcodesAreAWarning) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    test::TempDir dir;
    std::string labels = "ZZZZ-9\tH1975\n";
    int i = 0;
    for (const auto& [b, l] : read_labels(test::data_path("cellbench_celseq2_3cl/labels.tsv")))
        if (i++ % 2) labels += b + "\t" + l + "\n";
    test::spit(dir.file("l.tsv"), labels);
    auto r = test::run_scpt("annotate --no-pretrained --reference " + data("cellbench_celseq2_3cl") + " --labels " +
                                quoted(dir.file("l.tsv")) + " --out " + quoted(dir.file("p.tsv")),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("1 of 121 rows name barcodes that are not cells"), std::string::npos) << r.err;
}

TEST(CliEval, ReportsThePapersScoresWithAndWithoutPretraining) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    auto r = test::run_scpt("eval " + data("cellbench_celseq2_3cl") + " --label-column label --seeds 1 --modes head,scratch"
                                " --hold-out-types --model " + quoted(model_path()) + " --json " + quoted(dir.file("e.json")),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* s : {"accuracy  kappa  macro-F1  AUROC  AUPRC", "confusion matrix", "K-means ARI", "unknown types"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
    const auto j = nlohmann::json::parse(test::slurp(dir.file("e.json")));
    EXPECT_EQ(j["cells"], 240);
    EXPECT_EQ(j["reference_cells"], 168);  // min(60%,1000) + min(10%,1000) of 240
    ASSERT_EQ(j["modes"].size(), 2u);
    for (const auto& m : j["modes"]) {
        EXPECT_GT(m["mean"]["accuracy"].get<double>(), 0.9) << m["mode"];
        EXPECT_GT(m["mean"]["auroc"].get<double>(), 0.95) << m["mode"];
        EXPECT_EQ(m["seeds"].size(), 1u);
    }
    EXPECT_EQ(j["representations"].size(), 2u);
    EXPECT_FALSE(j["hold_out"].empty());
}

// Cell Ranger's barcodes end in the GEM-well suffix "-1"; a table written from Seurat often has
// them without it (and the other way round). pbmc3k's barcodes have none: the labels get one.
TEST(CliAnnotate, LabelsWithThe10xSuffixMatchCellsWithoutIt) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/labels.tsv");
    test::TempDir dir;
    const auto truth = read_labels(test::data_path("pbmc3k_seurat_labels/labels.tsv"));
    std::string suffixed;
    std::set<std::string> to_predict;
    int i = 0;
    for (const auto& [b, l] : truth) {
        if (i++ % 4 == 0) to_predict.insert(b);
        else suffixed += b + "-1\t" + l + "\n";
    }
    test::spit(dir.file("suffixed.tsv"), suffixed);
    auto r = test::run_scpt("annotate --no-pretrained --reference " + data("pbmc3k_seurat_labels") + " --labels " +
                                quoted(dir.file("suffixed.tsv")) + " --out " + quoted(dir.file("pred.tsv")),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const int64_t labelled = int64_t(truth.size() - to_predict.size());
    EXPECT_NE(r.err.find("warning: " + dir.file("suffixed.tsv") + ": " + io::count_text(labelled) +
                         " barcodes matched after removing the 10x suffix '-1' from the barcodes of " + dir.file("suffixed.tsv")),
              std::string::npos)
        << r.err;
    const auto pred = read_tsv(dir.file("pred.tsv"));
    ASSERT_EQ(pred.size(), to_predict.size() + 1);
    for (size_t k = 1; k < pred.size(); ++k) EXPECT_EQ(to_predict.count(pred[k][0]), 1u) << pred[k][0];
    EXPECT_GT(accuracy(pred, truth), 0.8);
}

// Binary noise given as a labels file: the message quotes what it found escaped and short.
TEST(CliAnnotate, ALabelsFileOfBinaryNoiseGivesAReadableMessage) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    test::TempDir dir;
    for (uint64_t seed : {1, 2, 3}) {
        Rng rng(seed);
        std::string noise(4096, '\0');
        for (char& c : noise) c = char(rng.below(256));
        const std::string file = dir.file("noise" + std::to_string(seed) + ".tsv");
        test::spit(file, noise);
        auto r = test::run_scpt("annotate --no-pretrained --reference " + data("cellbench_celseq2_3cl") + " --labels " +
                                    quoted(file) + " --out " + quoted(dir.file("pred.tsv")),
                                dir);
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_EQ(lines(r.err), 1) << r.err;
        EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
        EXPECT_LT(r.err.size(), 400u) << r.err;
        // No control byte reaches the terminal: the noise is escaped (valid UTF-8 that happens to occur
        // in it is kept, as for real labels such as "naïve": Quote.* checks which bytes are escaped).
        for (unsigned char c : r.err.substr(0, r.err.size() - 1))
            EXPECT_TRUE(c >= 0x20 && c != 0x7f) << "byte " << int(c) << " in: " << r.err;
        EXPECT_NE(r.err.find("\\x"), std::string::npos) << r.err;
    }
}

// pbmc3k's values are log values: the fit and the prediction of the reference's own cells both
// notice it, and the user hears it once.
TEST(CliAnnotate, SaysEachWarningOnce) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    std::string partial;
    int i = 0;
    for (const auto& [b, l] : read_labels(test::data_path("pbmc3k_seurat_labels/labels.tsv")))
        if (i++ % 4) partial += b + "\t" + l + "\n";
    test::spit(dir.file("partial.tsv"), partial);
    auto r = test::run_scpt("annotate --reference " + data("pbmc3k_seurat_labels") + " --labels " +
                                quoted(dir.file("partial.tsv")) + " --out " + quoted(dir.file("pred.tsv")) +
                                " --threads 1 --model " + quoted(model_path()),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string said = "values look already log-transformed";
    const size_t first = r.err.find(said);
    ASSERT_NE(first, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(said, first + 1), std::string::npos) << r.err;
}

// The default head is a logistic regression: no epochs to speak of.
TEST(CliAnnotate, SaysWhatWasFitted) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    std::string partial;
    int i = 0;
    for (const auto& [b, l] : read_labels(test::data_path("cellbench_celseq2_3cl/labels.tsv")))
        if (i++ % 4) partial += b + "\t" + l + "\n";
    test::spit(dir.file("partial.tsv"), partial);
    const std::string args = "annotate --reference " + data("cellbench_celseq2_3cl") + " --labels " +
                             quoted(dir.file("partial.tsv")) + " --out " + quoted(dir.file("pred.tsv")) + " --model " +
                             quoted(model_path());
    auto linear = test::run_scpt(args, dir);
    ASSERT_EQ(linear.status, 0) << linear.err;
    // 180 labelled cells, a fifth or so held out to validate; 200 encoder outputs, 50 PCs, 500 marker genes.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(linear.err, m,
                                  std::regex("fine-tuning, head mode: a logistic-regression head fitted on (\\d+) training "
                                             "cells \\([\\d,]+ genes -> 200 encoder outputs \\+ 50 reference PCs \\+ 500 marker genes\\); "
                                             "validation accuracy [\\d.]+ on (\\d+) held-out reference cells, then "
                                             "refitted on all 180 labelled cells")))
        << linear.err;
    EXPECT_EQ(std::stoi(m[1]) + std::stoi(m[2]), 180);
    EXPECT_EQ(linear.err.find("epoch"), std::string::npos) << linear.err;
    auto mlp = test::run_scpt(args + " --head mlp", dir);
    ASSERT_EQ(mlp.status, 0) << mlp.err;
    ASSERT_TRUE(std::regex_search(mlp.err, m,
                                  std::regex("fine-tuning, head mode, [\\d,]+ genes: (\\d+) epochs, best validation "
                                             "accuracy [\\d.]+ at epoch (\\d+) \\(\\d+ training, \\d+ validation cells\\)")))
        << mlp.err;
    EXPECT_GE(std::stoi(m[1]), std::stoi(m[2]));  // the best epoch is one of those run
    EXPECT_GE(std::stoi(m[2]), 1);
}

// --majority-voting: every over-cluster's cells share one label (or keep their own when the vote
// is tied), with the cell's own label and its cluster beside it.
TEST(CliAnnotate, MajorityVotingLabelsEachOverClusterAsOne) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/labels.tsv");
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    auto r = test::run_scpt("annotate --reference " + data("cellbench_celseq2_5cl") + " --labels " +
                                data("cellbench_celseq2_5cl/labels.tsv") + " --query " + data("cellbench_celseq2_3cl") +
                                " --majority-voting --reference-genes 0 --out " + quoted(dir.file("pred.tsv")) +
                                " --model " + quoted(model_path()),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.err, m, std::regex("majority vote over (\\d+) over-clusters of the query"))) << r.err;
    const int clusters = std::stoi(m[1]);
    EXPECT_GT(clusters, 1);
    std::istringstream in(test::slurp(dir.file("pred.tsv")));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "barcode\tlabel\tconfidence\tcell_label\tover_cluster");
    std::map<int, std::set<std::string>> labels;
    std::map<int, bool> voted;
    int64_t changed = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::istringstream ls(line);
        for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
        ASSERT_EQ(f.size(), 5u) << line;
        const int c = std::stoi(f[4]);
        ASSERT_GE(c, 0);
        ASSERT_LT(c, clusters);
        labels[c].insert(f[1]);
        if (f[1] != f[3]) {
            voted[c] = true;
            ++changed;
        }
    }
    // A cluster that voted has one label; one with more than one label kept every cell's own (a tie).
    for (const auto& [c, l] : labels)
        if (voted[c]) EXPECT_EQ(l.size(), 1u) << "over-cluster " << c;
    EXPECT_GT(changed, 0);  // the vote changed some cells' labels (the encoder alone confuses lines)
}

TEST(CliAnnotate, WithoutLabelsGroupsTheCellsAsThePageDoes) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    auto r = test::run_scpt("annotate --query " + data("cellbench_celseq2_3cl") + " --clusters 3 --out " +
                                quoted(dir.file("groups.tsv")) + " --model " + quoted(model_path()),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("grouped into 3 clusters by K-means on the model's embedding"), std::string::npos) << r.err;
    std::istringstream in(test::slurp(dir.file("groups.tsv")));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "barcode\tlabel");
    std::map<std::string, int64_t> sizes;
    int64_t cells = 0;
    while (std::getline(in, line)) {
        ++sizes[line.substr(line.find('\t') + 1)];
        ++cells;
    }
    EXPECT_EQ(cells, 240);
    ASSERT_EQ(sizes.size(), 3u);
    EXPECT_GE(sizes["Cluster 1"], sizes["Cluster 2"]);  // numbered by size
    EXPECT_GE(sizes["Cluster 2"], sizes["Cluster 3"]);
    // More clusters than the flow makes (20) are refused.
    r = test::run_scpt("annotate --query " + data("cellbench_celseq2_3cl") + " --clusters 30 --out " +
                           quoted(dir.file("g2.tsv")),
                       dir);
    EXPECT_NE(r.status, 0);
}

TEST(CliEmbed, WritesTheEncoderOutputOfEveryCell) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    REQUIRE_MODEL();
    test::TempDir dir;
    auto r = test::run_scpt("embed --model " + quoted(model_path()) + " " + data("cellbench_celseq2_3cl") + " --out " +
                                quoted(dir.file("e.tsv")),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto rows = read_tsv(dir.file("e.tsv"));
    ASSERT_EQ(rows.size(), 241u);
    ASSERT_EQ(rows[0].size(), 201u);
    EXPECT_EQ(rows[0][1], "h1");
    EXPECT_EQ(rows[0][200], "h200");
    for (size_t i = 1; i < rows.size(); ++i)
        for (size_t c = 1; c < rows[i].size(); ++c) {
            const double v = std::stod(rows[i][c]);
            ASSERT_TRUE(v >= 0 && v <= 1) << v;  // sigmoid outputs
        }
    auto bad = test::run_scpt("embed --model " + quoted(dir.file("none.scpt")) + " " + data("cellbench_celseq2_3cl") +
                                  " --out " + quoted(dir.file("x.tsv")),
                              dir);
    EXPECT_EQ(bad.status, 2);
    EXPECT_EQ(lines(bad.err), 1) << bad.err;
}

}  // namespace
}  // namespace scpt
