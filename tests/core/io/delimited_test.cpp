#include "core/io/delimited.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"
#include "tools/native/input.hpp"

namespace scpt::io {
namespace {

// Writes a real dataset as delimited text, genes in rows or cells in rows, optionally R-quoted.
std::string to_text(const CellMatrix& m, bool genes_rows, char sep, bool quoted, bool corner) {
    auto q = [&](const std::string& s) { return quoted ? "\"" + s + "\"" : s; };
    std::vector<std::vector<float>> dense(size_t(m.n_cells), std::vector<float>(size_t(m.n_genes), 0.f));
    for (int64_t c = 0; c < m.n_cells; ++c)
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k)
            dense[size_t(c)][size_t(m.indices[size_t(k)])] = m.values[size_t(k)];
    const auto& rows = genes_rows ? m.gene_symbols : m.barcodes;
    const auto& cols = genes_rows ? m.barcodes : m.gene_symbols;
    std::string out = corner ? q(genes_rows ? "gene" : "cell") : "";
    for (size_t j = 0; j < cols.size(); ++j) out += (corner || j ? std::string(1, sep) : "") + q(cols[j]);
    out += "\n";
    char buf[32];
    for (size_t i = 0; i < rows.size(); ++i) {
        out += q(rows[i]);
        for (size_t j = 0; j < cols.size(); ++j) {
            float v = genes_rows ? dense[j][i] : dense[i][j];
            std::snprintf(buf, sizeof buf, "%.9g", double(v));
            out += sep;
            out += buf;
        }
        out += i % 2 ? "\r\n" : "\n";
    }
    return out;
}

TEST(Delimited, BothOrientationsQuotedAndGzipped) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    CellMatrix src = native::read_input(test::data_path("seurat_pbmc_small_unlabeled"));
    for (int variant = 0; variant < 4; ++variant) {
        bool genes_rows = variant % 2 == 0;
        bool quoted = variant >= 2;
        std::string text = to_text(src, genes_rows, quoted ? ',' : '\t', quoted, variant != 1);
        if (variant == 3) text = test::gzip_bytes(text);
        CellMatrix m = read_delimited(text, "counts.csv");
        SCOPED_TRACE(variant);
        EXPECT_EQ(m.barcodes, src.barcodes);
        EXPECT_EQ(m.gene_symbols, src.gene_symbols);
        EXPECT_EQ(m.indptr, src.indptr);
        EXPECT_EQ(m.indices, src.indices);
        EXPECT_EQ(m.values, src.values);
        ASSERT_FALSE(m.notes.empty());
        EXPECT_NE(m.notes[0].find(genes_rows ? "genes in rows" : "cells in rows"), std::string::npos) << m.notes[0];
    }
}

TEST(Delimited, ExplicitOrientationWins) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    CellMatrix src = native::read_input(test::data_path("seurat_pbmc_small_unlabeled"));
    std::string text = to_text(src, true, ',', false, true);
    ReadOptions o;
    o.orientation = Orientation::CellsAreRows;
    CellMatrix m = read_delimited(text, "x.csv", o);
    EXPECT_EQ(m.n_cells, src.n_genes);  // taken literally
}

std::string error_of(const std::string& text) {
    try {
        read_delimited(text, "t.csv");
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return "";
}

TEST(Delimited, BadInputs) {
    EXPECT_NE(error_of("gene,c1,c2\nA,1,2\nB,1\n").find("line 3 has 2 fields, expected 3"), std::string::npos);
    EXPECT_NE(error_of("gene,c1,c2\nA,1,NA\n").find("line 2, column 3: 'NA' is not a number"), std::string::npos);
    EXPECT_NE(error_of("gene,c1,c2,c3,c4\nA,1,2\n").find("the header (line 1) has 5 fields"), std::string::npos);
    EXPECT_NE(error_of("").find("empty"), std::string::npos);
    EXPECT_NE(error_of("gene,c1\n").find("no data rows"), std::string::npos);
    EXPECT_NE(error_of("\"gene,c1\nA,1\n").find("quoted field"), std::string::npos);
}

}  // namespace
}  // namespace scpt::io

namespace scpt::io {
namespace {

TEST(Delimited, DeclaredWidthIsCheckedBeforeStoring) {
    ReadOptions o;
    o.limits.max_cells = 1000;
    o.limits.max_genes = 10;
    std::string wide = "gene";
    for (int i = 0; i < 5000; ++i) wide += ",c" + std::to_string(i);
    try {
        read_delimited(wide + "\nA" + std::string(5000, ',') + "\n", "w.csv", o);
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("w.csv: declares 5001 columns, above the limit of 1001"), std::string::npos) << e.what();
    }
}

TEST(Delimited, ExtraFieldIsARaggedRow) {
    try {
        read_delimited("gene,c1,c2\nA,1,2\nB,1,2,3\n", "t.csv");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 3 has 4 fields, expected 3"), std::string::npos) << e.what();
    }
}

TEST(Delimited, EndlessGzippedLineIsRefused) {
    ReadOptions o;
    o.limits.max_line_bytes = 1 << 16;
    std::string text = "gene,c1\n" + std::string(1 << 20, '0');
    EXPECT_THROW(read_delimited(test::gzip_bytes(text), "t.csv.gz", o), InputError);
}

}  // namespace
}  // namespace scpt::io

namespace scpt::io {
namespace {

// Fuzzing finding: 1e39 is a finite double but not a finite float; it was stored as inf.
TEST(Delimited, ValueBeyondFloatRangeIsRefusedWithItsLine) {
    try {
        read_delimited("gene,c1,c2\nA,1,1e39\n", "t.csv");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 2, column 3: '1e39' is too large for 32-bit floating point"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace scpt::io
