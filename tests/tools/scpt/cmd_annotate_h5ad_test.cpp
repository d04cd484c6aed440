// scpt annotate --out-h5ad on real shared data, read back by Debian's python3-anndata
// (tests/tools/h5ad_readback.py): the same cells and labels as the TSV, X the input's values.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/test_data.hpp"
#include "tests/tools/cli_run.hpp"

namespace scpt {
namespace {

using test::quoted;

bool have_anndata() { return std::system("/usr/bin/python3 -c 'import anndata' >/dev/null 2>&1") == 0; }

std::string readback(const test::TempDir& dir, const std::string& args) {
    const std::string cmd = "/usr/bin/python3 " + quoted(test::source_path("tests/tools/h5ad_readback.py")) + " " + args +
                            " >" + quoted(dir.file("readback")) + " 2>&1";
    const int st = std::system(cmd.c_str());
    return (st == 0 ? "" : "FAILED ") + test::slurp(dir.file("readback"));
}

TEST(CliAnnotateH5ad, AnnDataReadsBackTheTsvsLabelsTheInputsValuesTheEmbeddingAndTheMap) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/labels.tsv");
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    if (!have_anndata()) GTEST_SKIP() << "python3-anndata is missing (tools/setup installs it)";
    test::TempDir dir;
    const std::string h5ad = dir.file("cells.h5ad"), tsv = dir.file("pred.tsv");
    auto r = test::run_scpt("annotate --reference " + quoted(test::data_path("cellbench_celseq2_5cl")) + " --labels " +
                                quoted(test::data_path("cellbench_celseq2_5cl/labels.tsv")) + " --query " +
                                quoted(test::data_path("cellbench_celseq2_3cl")) + " --out " + quoted(tsv) +
                                " --out-h5ad " + quoted(h5ad) + " --model " +
                                quoted(test::source_path("models/default.scpt")),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("wrote " + h5ad + ": 240 cells x 28142 genes, X_scpretrain (200 dims), X_umap"), std::string::npos)
        << r.err;
    const std::string back = readback(
        dir, quoted(h5ad) + " " + quoted(tsv) + " --mtx " + quoted(test::data_path("cellbench_celseq2_3cl")) + " --map --embedding");
    EXPECT_EQ(back.rfind("ok: 240 cells x 28142 genes", 0), 0u) << back;
    // Our own reader takes the file as input too (the query's metadata columns came along).
    auto info = test::run_scpt("info " + quoted(h5ad), dir);
    ASSERT_EQ(info.status, 0) << info.err;
    EXPECT_NE(info.out.find("\"format\": \"h5ad\""), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("\"cells\": 240,"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("scpretrain_label"), std::string::npos) << info.out;
}

// The reference's own unlabelled cells, no map: only those cells, and no X_umap.
TEST(CliAnnotateH5ad, TheReferencesUnlabelledCellsWithoutTheMap) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    if (!have_anndata()) GTEST_SKIP() << "python3-anndata is missing (tools/setup installs it)";
    test::TempDir dir;
    std::string labels = test::slurp(test::data_path("cellbench_celseq2_3cl/labels.tsv")), partial;
    int line = 0, dropped = 0;
    for (size_t b = 0, e; b < labels.size(); b = e + 1) {
        e = labels.find('\n', b);
        if (e == std::string::npos) e = labels.size();
        if (line++ % 4 == 1) ++dropped;  // every fourth cell unlabelled
        else partial += labels.substr(b, e - b) + "\n";
    }
    test::spit(dir.file("partial.tsv"), partial);
    const std::string h5ad = dir.file("rest.h5ad"), tsv = dir.file("pred.tsv");
    auto r = test::run_scpt("annotate --reference " + quoted(test::data_path("cellbench_celseq2_3cl")) + " --labels " +
                                quoted(dir.file("partial.tsv")) + " --out " + quoted(tsv) + " --out-h5ad " + quoted(h5ad) +
                                " --no-map --model " + quoted(test::source_path("models/default.scpt")),
                            dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string back = readback(dir, quoted(h5ad) + " " + quoted(tsv) + " --mtx " +
                                               quoted(test::data_path("cellbench_celseq2_3cl")) + " --embedding");
    EXPECT_EQ(back.rfind("ok: " + std::to_string(dropped) + " cells", 0), 0u) << back;
    EXPECT_EQ(back.find("X_umap"), std::string::npos) << back;
}

TEST(CliAnnotateH5ad, AnUnwritableDestinationFailsBeforeTheWork) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    test::TempDir dir;
    auto r = test::run_scpt("annotate --reference " + quoted(test::data_path("cellbench_celseq2_3cl")) + " --out " +
                                quoted(dir.file("p.tsv")) + " --out-h5ad " + quoted(dir.file("no/such/dir/x.h5ad")),
                            dir);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("x.h5ad"), std::string::npos) << r.err;
    EXPECT_FALSE(test::path_exists(dir.file("p.tsv")));
}

TEST(CliAnnotateH5ad, TheSameNameAsTheTableIsRefused) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/labels.tsv");
    test::TempDir dir;
    auto r = test::run_scpt("annotate --reference " + quoted(test::data_path("cellbench_celseq2_3cl")) + " --out " +
                                quoted(dir.file("p.tsv")) + " --out-h5ad " + quoted(dir.file("p.tsv")),
                            dir);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("is also --out"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace scpt
