// Streaming a 10x query (tools/native/tenx_file_stream, core's Annotator::plan_query) must give
// exactly what reading it whole gives: the same cells and values chunk by chunk, the same
// predictions per cell, and the same `scpt annotate` output file.
#include <gtest/gtest.h>

#include <optional>

#include "core/annotate/annotate.hpp"
#include "core/stats/split.hpp"
#include "tests/test_data.hpp"
#include "tests/tools/cli_run.hpp"
#include "tools/native/input.hpp"
#include "tools/native/tenx_file_stream.hpp"

namespace scpt {
namespace {

TEST(TenxFileStream, ChunksConcatenateToTheWholeMatrix) {
    SCPT_REQUIRE_DATA("soupx_pbmc4k_10x/matrix.mtx.gz");
    const std::string dir = test::data_path("soupx_pbmc4k_10x");
    const CellMatrix whole = native::read_input(dir);
    native::TenxPaths paths;
    ASSERT_TRUE(native::find_tenx_files(dir, &paths));
    native::TenxStreamOptions o;
    o.chunk_cells = 333;    // not a divisor of 2170: a short last chunk
    o.block_bytes = 65521;  // blocks that cut lines and gzip members anywhere
    CellMatrix cat;
    cat.indptr.assign(1, 0);
    int64_t genes_calls = 0, chunks = 0;
    const int64_t n = native::stream_tenx_files(
        paths, o,
        [&](const CellMatrix& g, int64_t cells) {
            ++genes_calls;
            EXPECT_EQ(g.n_cells, 0);
            EXPECT_EQ(cells, whole.n_cells);
            EXPECT_EQ(g.gene_ids, whole.gene_ids);
            EXPECT_EQ(g.gene_symbols, whole.gene_symbols);
        },
        [&](const CellMatrix& c, int64_t first) {
            EXPECT_EQ(first, cat.n_cells);
            EXPECT_LE(c.n_cells, 333);
            c.validate("chunk");
            for (int64_t i = 0; i < c.n_cells; ++i) {
                for (int64_t k = c.indptr[size_t(i)]; k < c.indptr[size_t(i) + 1]; ++k) {
                    cat.indices.push_back(c.indices[size_t(k)]);
                    cat.values.push_back(c.values[size_t(k)]);
                }
                cat.indptr.push_back(int64_t(cat.indices.size()));
                cat.barcodes.push_back(c.barcodes[size_t(i)]);
            }
            cat.n_cells += c.n_cells;
            ++chunks;
        });
    EXPECT_EQ(genes_calls, 1);
    EXPECT_EQ(n, whole.n_cells);
    EXPECT_EQ(chunks, (whole.n_cells + 332) / 333);
    EXPECT_EQ(cat.indptr, whole.indptr);
    EXPECT_EQ(cat.indices, whole.indices);
    EXPECT_EQ(cat.values, whole.values);
    EXPECT_EQ(cat.barcodes, whole.barcodes);
}

TEST(TenxFileStream, OnlyTenxFoldersAreFound) {
    SCPT_REQUIRE_DATA("soupx_pbmc4k_10x/matrix.mtx.gz");
    native::TenxPaths p;
    EXPECT_TRUE(native::find_tenx_files(test::data_path("soupx_pbmc4k_10x/matrix.mtx.gz"), &p));
    EXPECT_EQ(p.features, test::data_path("soupx_pbmc4k_10x/features.tsv"));
    EXPECT_FALSE(native::find_tenx_files(test::data_path("soupx_pbmc4k_10x/obs.tsv"), &p));
    EXPECT_FALSE(native::find_tenx_files(test::data_path("no_such_folder"), &p));
}

// Chunks predicted under one plan give, per cell, the whole matrix's predictions: the same labels,
// and probabilities equal up to float rounding (Eigen's matrix products block a 37-row chunk
// differently from a 2,048-row one, which moves the last bit; the 4-decimal table is identical).
TEST(AnnotatorPlan, ChunkedPredictionsEqualWholeOnes) {
    SCPT_REQUIRE_DATA("clustifyr_mouse_lung_aec2_10x/matrix.mtx.gz");
    const CellMatrix m = native::read_input(test::data_path("clustifyr_mouse_lung_aec2_10x"));
    const ObsColumn* truth = m.find_obs("label");
    ASSERT_NE(truth, nullptr);
    const PaperSplit s = paper_split(m.n_cells, 3);
    std::vector<std::string> labels(size_t(m.n_cells));
    for (int64_t r : s.reference) labels[size_t(r)] = truth->text(r);
    annotate::AnnotateOptions o;
    o.finetune.max_epochs = 15;
    const annotate::Annotator a = annotate::Annotator::fit(m, labels, nullptr, nullptr, o);
    const annotate::Predictions whole = a.predict(m, &s.test, "query");

    const int64_t chunk = 37;
    std::optional<annotate::Annotator::QueryPlan> plan;
    std::vector<annotate::Predictions> parts;
    for (size_t b = 0; b < s.test.size(); b += chunk) {
        const std::vector<int64_t> rows(s.test.begin() + long(b), s.test.begin() + long(std::min(s.test.size(), b + chunk)));
        if (!plan) plan = a.plan_query(m, "query");
        parts.push_back(a.predict(m, &rows, *plan));
        EXPECT_TRUE(parts.back().warnings.empty());
    }
    // The default rule (query-typicality) decides over the whole query: the chunks, decided
    // again together, are what the whole matrix gives.
    std::vector<annotate::Predictions*> all;
    for (auto& p : parts) all.push_back(&p);
    a.calibrate_on_query(all);
    size_t at = 0;
    for (const annotate::Predictions& p : parts) {
        for (size_t i = 0; i < p.cells.size(); ++i, ++at) {
            ASSERT_EQ(p.cells[i], whole.cells[at]);
            EXPECT_EQ(p.label[i], whole.label[at]);
            EXPECT_EQ(p.best[i], whole.best[at]);
            EXPECT_NEAR(p.confidence[i], whole.confidence[at], 1e-6);
            EXPECT_NEAR(p.typicality[i], whole.typicality[at], 1e-6);
            for (int64_t c = 0; c < whole.probabilities.cols(); ++c)
                EXPECT_NEAR(p.probabilities(int64_t(i), c), whole.probabilities(int64_t(at), c), 1e-6);
        }
    }
    EXPECT_EQ(at, s.test.size());
    EXPECT_EQ(plan->transform.description(), whole.transform);
    EXPECT_EQ(plan->warnings, whole.warnings);
}

// The CLI: a streamed 10x query and the same query read whole write the same file.
TEST(AnnotateCli, StreamedQueryWritesWhatTheWholeReadWrites) {
    SCPT_REQUIRE_DATA("clustifyr_mouse_lung_aec2_10x/matrix.mtx.gz");
    test::TempDir dir;
    const std::string ref = test::quoted(test::data_path("clustifyr_mouse_lung_aec2_10x"));
    const std::string base = "annotate --no-pretrained --reference " + ref + " --label-column label --query " + ref +
                             " --details --probabilities --threads 2 --out ";
    const test::CliResult s = test::run_scpt(base + test::quoted(dir.file("s.tsv")) + " --chunk-cells 100", dir);
    ASSERT_EQ(s.status, 0) << s.err;
    EXPECT_NE(s.err.find("(streamed)"), std::string::npos) << s.err;
    const test::CliResult w = test::run_scpt(base + test::quoted(dir.file("w.tsv")) + " --no-stream", dir);
    ASSERT_EQ(w.status, 0) << w.err;
    const std::string st = test::slurp(dir.file("s.tsv")), wt = test::slurp(dir.file("w.tsv"));
    EXPECT_GT(st.size(), 549u * 20u);
    EXPECT_EQ(st, wt);
}

}  // namespace
}  // namespace scpt
