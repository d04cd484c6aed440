// scpt inspect and scpt quantize, run as a user would: the built binary, files on disk.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "core/model/model_file.hpp"
#include "tests/core/model/model_test_util.hpp"
#include "tools/native/files.hpp"
#include "tools/native/model_files.hpp"
#include "tests/test_data.hpp"

namespace scpt {
namespace {

struct CliRun {
    int status = -1;
    std::string out, err;
};

// Runs the scpt binary with `args` (already shell-quoted), capturing stdout and stderr.
CliRun scpt_cli(const std::string& args, const std::string& dir) {
    const std::string err_path = dir + "/stderr.txt";
    const std::string cmd = std::string("'") + SCPT_CLI_PATH + "' " + args + " 2>'" + err_path + "'";
    CliRun r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.err = native::read_file(err_path);
    return r;
}

class ModelCommands : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/scpt_model_cli_XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        model_ = test::random_model(500, 200, 21, 1);
        path_ = dir_ + "/model.scpt";
        native::save_model(path_, model_);
    }
    void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
    std::string dir_, path_;
    Model model_;
};

TEST_F(ModelCommands, InspectPrintsTheModelAsJson) {
    CliRun r = scpt_cli("inspect '" + path_ + "'", dir_);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format_version"], 1);
    EXPECT_EQ(j["genes"], 500);
    EXPECT_EQ(j["hidden"], 200);
    EXPECT_EQ(j["dtype"], "f32");
    EXPECT_EQ(j["transform"], "log1p");
    EXPECT_EQ(j["datasets"], nlohmann::json(model_.info.datasets));
    EXPECT_EQ(j["seed"].get<uint64_t>(), model_.info.seed);
    EXPECT_EQ(j["created"], model_.info.created);
    EXPECT_EQ(j["tool_version"], model_.info.tool_version);
    EXPECT_EQ(j["file_bytes"].get<uint64_t>(), native::read_file(path_).size());
    ASSERT_EQ(j["classifiers"].size(), 1u);
    EXPECT_EQ(j["classifiers"][0]["name"], "ref_0");
    EXPECT_EQ(j["classifiers"][0]["classes"], nlohmann::json(model_.classifiers[0].classes));
    EXPECT_EQ(j["vocabulary"]["mouse_symbols"], 400);  // every fifth gene has no mouse symbol
    EXPECT_FALSE(j.contains("gene_list"));
    r = scpt_cli("inspect --genes '" + path_ + "'", dir_);
    const auto g = nlohmann::json::parse(r.out);
    ASSERT_EQ(g["gene_list"].size(), 500u);
    EXPECT_EQ(g["gene_list"][1][0], "GENE1");
}

TEST_F(ModelCommands, CorruptModelExitsWithOneLine) {
    std::string bytes = native::read_file(path_);
    bytes[bytes.size() / 2] ^= 1;
    const std::string bad = dir_ + "/bad.scpt";
    native::write_file_atomic(bad, bytes);
    CliRun r = scpt_cli("inspect '" + bad + "'", dir_);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "scpt: " + bad + ": checksum mismatch: the file is corrupt or was modified\n");
    EXPECT_TRUE(r.out.empty());
    r = scpt_cli("inspect '" + dir_ + "/missing.scpt'", dir_);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("missing.scpt: cannot be opened"), std::string::npos) << r.err;
}

TEST_F(ModelCommands, QuantizeWritesASmallerModelThatReadsBack) {
    for (const char* type : {"f16", "q8", "q4"}) {
        const std::string out = dir_ + "/model." + type + ".scpt";
        CliRun r = scpt_cli(std::string("quantize --json --in '") + path_ + "' --out '" + out + "' --type " + type, dir_);
        ASSERT_EQ(r.status, 0) << r.err;
        const auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["to"], type);
        EXPECT_LT(j["out_bytes"].get<uint64_t>(), j["in_bytes"].get<uint64_t>());
        Model q = native::load_model(out);
        EXPECT_EQ(dtype_name(q.encoder.dtype), std::string(type));
        EXPECT_EQ(q.info.genes.size(), 500u);
        EXPECT_EQ(q.classifiers[0].fc1_w, model_.classifiers[0].fc1_w);  // classifiers stay f32
        EXPECT_EQ(native::read_file(out).size(), j["out_bytes"].get<uint64_t>());
    }
    // Human-readable report by default.
    CliRun r = scpt_cli("quantize --in '" + path_ + "' --out '" + dir_ + "/x.scpt' --type q8", dir_);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("x smaller"), std::string::npos) << r.out;
}

TEST_F(ModelCommands, QuantizeRefusesBadRequests) {
    CliRun r = scpt_cli("quantize --in '" + path_ + "' --out '" + dir_ + "/x.scpt' --type q3", dir_);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("'q3' is not one of"), std::string::npos) << r.err;
    r = scpt_cli("quantize --in '" + path_ + "' --out '" + path_ + "' --type q8", dir_);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("must differ"), std::string::npos) << r.err;
    const std::string q8 = dir_ + "/q8.scpt";
    ASSERT_EQ(scpt_cli("quantize --in '" + path_ + "' --out '" + q8 + "' --type q8", dir_).status, 0);
    r = scpt_cli("quantize --in '" + q8 + "' --out '" + dir_ + "/q4.scpt' --type q4", dir_);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("quantize from the f32 model"), std::string::npos) << r.err;
    EXPECT_FALSE(native::exists(dir_ + "/q4.scpt"));  // nothing half-written is left behind
}

TEST_F(ModelCommands, QuantizeCheckMeasuresOutputErrorOnRealCells) {
    SCPT_REQUIRE_DATA("pbmc5k_cite_10xv3_subset/features.tsv");
    // A model over the dataset's first 3,000 gene symbols, so that its genes match.
    const std::string features = native::read_file(test::data_path("pbmc5k_cite_10xv3_subset/features.tsv"));
    Model m = test::random_model(3000, 200, 4, 0);
    size_t pos = 0;
    for (auto& g : m.info.genes) {
        const size_t tab = features.find('\t', pos), end = features.find('\n', pos);
        const size_t tab2 = features.find('\t', tab + 1);
        g = {features.substr(tab + 1, tab2 - tab - 1), "", ""};
        pos = end + 1;
    }
    const std::string in = dir_ + "/pbmc.scpt";
    native::save_model(in, m);
    const std::string data = test::data_path("pbmc5k_cite_10xv3_subset");
    double previous_mean = 0;
    for (const char* type : {"f16", "q8", "q4"}) {
        CliRun r = scpt_cli(std::string("-q quantize --json --check '") + data + "' --in '" + in + "' --out '" + dir_ +
                                "/o.scpt' --type " + type,
                            dir_);
        ASSERT_EQ(r.status, 0) << r.err;
        const auto c = nlohmann::json::parse(r.out)["check"];
        EXPECT_EQ(c["cells"], 200);
        EXPECT_GT(c["genes_matched"].get<int64_t>(), 2500);
        const double max_abs = c["max_abs"], mean_abs = c["mean_abs"];
        EXPECT_GT(mean_abs, previous_mean) << type;  // f16 < q8 < q4
        EXPECT_LT(max_abs, 0.5) << type;
        EXPECT_LE(mean_abs, max_abs);
        previous_mean = mean_abs;
    }
    CliRun r = scpt_cli("quantize --check '" + dir_ + "/nothing' --in '" + in + "' --out '" + dir_ + "/p.scpt' --type q8", dir_);
    EXPECT_EQ(r.status, 2);
    EXPECT_FALSE(native::exists(dir_ + "/p.scpt"));  // no output when the check cannot run
}

}  // namespace
}  // namespace scpt
