#include "core/io/mtx.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/util/error.hpp"
#include "core/util/rng.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

const char* kToy = "fixtures/soupx_toy/filtered_gene_bc_matrices/GRCh38/matrix.mtx";
const char* kPbmc = "soupx_pbmc4k_10x/matrix.mtx.gz";
const char* kSmall = "sctransform_pbmc_unlabeled/matrix.mtx.gz";

std::string expect_error(std::string_view text, const std::string& what = "m.mtx") {
    try {
        read_mtx(text, what);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted: " << text;
    return "";
}

TEST(Mtx, RealFileMatchesAnObviousParser) {
    SCPT_REQUIRE_DATA(kToy);
    std::string text = test::slurp(test::data_path(kToy));
    int64_t genes = 0, cells = 0;
    auto want = test::naive_mtx(text, &genes, &cells);
    CellMatrix m = read_mtx(text, "matrix.mtx");
    EXPECT_EQ(m.n_genes, genes);
    EXPECT_EQ(m.n_cells, cells);
    EXPECT_EQ(test::entries_of(m), want);
    for (int64_t c = 0; c < m.n_cells; ++c)
        for (int64_t k = m.indptr[size_t(c)] + 1; k < m.indptr[size_t(c) + 1]; ++k)
            ASSERT_LT(m.indices[size_t(k) - 1], m.indices[size_t(k)]);
}

TEST(Mtx, GzippedRealFileMatchesAnObviousParser) {
    SCPT_REQUIRE_DATA(kSmall);
    std::string gz = test::slurp(test::data_path(kSmall));
    auto want = test::naive_mtx(test::gunzip_bytes(gz));
    CellMatrix m = read_mtx(gz, "matrix.mtx.gz");
    EXPECT_EQ(m.n_cells, 283);
    EXPECT_EQ(m.n_genes, 914);
    EXPECT_EQ(test::entries_of(m), want);
}

// The parser must give the same result however the bytes are split into chunks.
TEST(Mtx, ChunkBoundariesDoNotMatter) {
    SCPT_REQUIRE_DATA(kToy);
    std::string text = test::slurp(test::data_path(kToy));
    CellMatrix whole = read_mtx(text, "m");
    Rng rng(3);
    for (int trial = 0; trial < 20; ++trial) {
        MtxToCells sink("m");
        MtxParser p("m", sink);
        for (size_t pos = 0; pos < text.size();) {
            size_t n = 1 + rng.below(trial < 5 ? 3 : 5000);
            p.feed(std::string_view(text).substr(pos, n));
            pos += n;
        }
        p.finish();
        CellMatrix m;
        sink.finish(m);
        EXPECT_EQ(m.indptr, whole.indptr);
        EXPECT_EQ(m.indices, whole.indices);
        EXPECT_EQ(m.values, whole.values);
    }
}

// Entries in a shuffled order (not grouped by cell) give the same matrix via the fallback.
TEST(Mtx, UnsortedEntriesGiveTheSameMatrix) {
    SCPT_REQUIRE_DATA(kToy);
    std::string text = test::slurp(test::data_path(kToy));
    std::vector<std::string> head, body;
    std::istringstream in(text);
    std::string line;
    int size_lines = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        if (line[0] == '%' || size_lines == 0) {
            head.push_back(line);
            if (line[0] != '%') size_lines = 1;
            continue;
        }
        body.push_back(line);
    }
    Rng rng(11);
    rng.shuffle(body);
    std::string shuffled;
    for (auto& l : head) shuffled += l + "\n";
    for (auto& l : body) shuffled += l + "\n";
    CellMatrix a = read_mtx(text, "a"), b = read_mtx(shuffled, "b");
    EXPECT_EQ(a.indptr, b.indptr);
    EXPECT_EQ(a.indices, b.indices);
    EXPECT_EQ(a.values, b.values);
}

TEST(Mtx, CellStreamEmitsEveryCellInOrder) {
    SCPT_REQUIRE_DATA(kPbmc);
    std::string gz = test::slurp(test::data_path(kPbmc));
    CellMatrix whole = read_mtx(gz, "m");
    std::string text = test::gunzip_bytes(gz);
    int64_t next = 0;
    bool same = true;
    MtxCellStream stream("m", [&](int64_t cell, const int32_t* g, const float* v, size_t n) {
        same &= cell == next++;
        int64_t b = whole.indptr[size_t(cell)];
        same &= int64_t(n) == whole.indptr[size_t(cell) + 1] - b;
        for (size_t k = 0; same && k < n; ++k)
            same &= g[k] == whole.indices[size_t(b) + k] && v[k] == whole.values[size_t(b) + k];
    });
    MtxParser p("m", stream);
    for (size_t pos = 0; pos < text.size(); pos += 1 << 16) p.feed(std::string_view(text).substr(pos, 1 << 16));
    p.finish();
    stream.finish();
    EXPECT_TRUE(same);
    EXPECT_EQ(next, whole.n_cells);
}

TEST(Mtx, CellStreamRefusesUnsortedFiles) {
    const char* text = "%%MatrixMarket matrix coordinate integer general\n3 3 3\n1 2 1\n1 1 1\n2 2 1\n";
    MtxCellStream stream("m.mtx", [](int64_t, const int32_t*, const float*, size_t) {});
    MtxParser p("m.mtx", stream);
    try {
        p.feed(text);
        p.finish();
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("not sorted by cell"), std::string::npos) << e.what();
    }
}

TEST(Mtx, PatternAndDuplicates) {
    CellMatrix m = read_mtx("%%MatrixMarket matrix coordinate pattern general\n2 2 3\n1 1\n1 1\n2 2\n", "p.mtx");
    EXPECT_EQ(m.values, (std::vector<float>{2.f, 1.f}));
    ASSERT_FALSE(m.notes.empty());
    EXPECT_NE(m.notes[0].find("1 duplicate"), std::string::npos);
}

TEST(Mtx, NegativeValuesAreAcceptedAndNoted) {
    CellMatrix m = read_mtx("%%MatrixMarket matrix coordinate real general\n2 1 2\n1 1 -0.5\n2 1 1.5\n", "z.mtx");
    EXPECT_EQ(m.values, (std::vector<float>{-0.5f, 1.5f}));
    bool noted = false;
    for (auto& n : m.notes) noted |= n.find("scaled") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(Mtx, BadInputsNameTheProblemAndLine) {
    const std::string H = "%%MatrixMarket matrix coordinate integer general\n";
    EXPECT_NE(expect_error("hello\n").find("not a Matrix Market file"), std::string::npos);
    EXPECT_NE(expect_error(H + "3 3 2\n1 1 1\n").find("cut short"), std::string::npos);
    EXPECT_NE(expect_error(H + "3 3 2\n1 1 1\n4 1 1\n").find("line 4: row 4 is outside 1..3"), std::string::npos);
    EXPECT_NE(expect_error(H + "3 3 2\n1 1 1\n1 0 1\n").find("column 0 is outside"), std::string::npos);
    EXPECT_NE(expect_error(H + "3 3 1\n1 1 1\n2 2 2\n").find("more entries than the 1"), std::string::npos);
    EXPECT_NE(expect_error(H + "3 3 1\n1 1 1.5\n").find("not an integer"), std::string::npos);
    EXPECT_NE(expect_error("%%MatrixMarket matrix coordinate real general\n3 3 1\n1 1 nan\n").find("line 3: value"),
              std::string::npos);
    EXPECT_NE(expect_error(H + "3 3 1\n1 1 x\n").find("expected 'row column value'"), std::string::npos);
    EXPECT_NE(expect_error(H).find("cut short"), std::string::npos);
    EXPECT_NE(expect_error("").find("empty"), std::string::npos);
    EXPECT_NE(expect_error("%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n").find("dense"), std::string::npos);
    EXPECT_NE(expect_error("%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 1 1\n").find("general"),
              std::string::npos);
}

TEST(Mtx, DeclaredSizesAreCheckedBeforeAllocating) {
    std::string e = expect_error("%%MatrixMarket matrix coordinate integer general\n5000000000 3 1\n1 1 1\n");
    EXPECT_NE(e.find("above the limit"), std::string::npos) << e;
    e = expect_error("%%MatrixMarket matrix coordinate integer general\n3 3 900000000000\n");
    EXPECT_NE(e.find("stored entries"), std::string::npos) << e;
}

}  // namespace
}  // namespace scpt::io
