#include "core/io/tenx_stream.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

CellMatrix stream(const TenxFolderInput& in, const std::string& matrix, size_t chunk, std::vector<std::string>* notes) {
    CellMatrix m;
    m.indptr.push_back(0);
    TenxCellStream s(in, {}, [&](int64_t cell, const int32_t* g, const float* v, size_t n) {
        EXPECT_EQ(cell, m.n_cells);
        m.indices.insert(m.indices.end(), g, g + n);
        m.values.insert(m.values.end(), v, v + n);
        m.indptr.push_back(int64_t(m.indices.size()));
        ++m.n_cells;
    });
    for (size_t p = 0; p < matrix.size(); p += chunk) s.feed(std::string_view(matrix).substr(p, chunk));
    s.finish();
    m.gene_ids = s.gene_ids();
    m.gene_symbols = s.gene_symbols();
    m.n_genes = int64_t(m.gene_ids.size());
    m.barcodes = s.barcodes();
    if (notes) *notes = s.notes();
    return m;
}

TEST(TenxStream, SameCellsAsReadingWhole) {
    for (const std::string d : {"fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix"}) {
        if (!test::path_exists(test::data_path(d + "/matrix.mtx.gz"))) GTEST_SKIP();
        std::string m = test::slurp(test::data_path(d + "/matrix.mtx.gz"));
        std::string f = test::slurp(test::data_path(d + "/features.tsv.gz"));
        std::string b = test::slurp(test::data_path(d + "/barcodes.tsv.gz"));
        TenxFolderInput in{m, f, b};
        CellMatrix whole = read_tenx_folder(in);
        // Chunks of 1 byte: gzip is told by two bytes that then arrive apart (found by fuzzing).
        for (size_t chunk : {size_t(1), size_t(1000), size_t(1) << 20}) {
            std::vector<std::string> notes;
            CellMatrix s = stream(in, m, chunk, &notes);
            test::expect_same_matrix(s, whole);
            EXPECT_EQ(notes.size(), whole.notes.size());
        }
    }
}

// Seurat's cr3.0 test matrix is not sorted by cell: streaming refuses it clearly.
TEST(TenxStream, UnsortedFileIsRefused) {
    const std::string d = "fixtures/seurat_testdata/cr3.0";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    std::string m = test::slurp(test::data_path(d + "/matrix.mtx.gz"));
    std::string f = test::slurp(test::data_path(d + "/features.tsv.gz"));
    std::string b = test::slurp(test::data_path(d + "/barcodes.tsv.gz"));
    TenxFolderInput in{m, f, b};
    try {
        stream(in, m, 64, nullptr);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("not sorted by cell"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read_tenx_folder(in).n_cells, 5);  // read whole, it is fine
}

TEST(TenxStream, MismatchAndCutFiles) {
    const std::string d = "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    std::string m = test::slurp(test::data_path(d + "/matrix.mtx.gz"));
    std::string f = test::slurp(test::data_path(d + "/features.tsv.gz"));
    std::string b = test::slurp(test::data_path(d + "/barcodes.tsv.gz"));
    TenxFolderInput in{m, f, "AAAC-1\n"};
    try {
        stream(in, m, 4096, nullptr);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("barcodes.tsv lists 1 cells"), std::string::npos) << e.what();
    }
    TenxFolderInput ok{m, f, b};
    try {
        stream(ok, m.substr(0, m.size() / 2), 4096, nullptr);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("cut short"), std::string::npos) << e.what();
    }
}

// The page streams 10x folders and the CLI reads them whole: both say what was done to the data
// (duplicates summed, negative values seen), in the same words.
TEST(TenxStream, NotesAsReadingWhole) {
    const std::string f = "G1\tA\tGene Expression\nG2\tB\tGene Expression\n", b = "c1\nc2\n";
    const std::string m = "%%MatrixMarket matrix coordinate real general\n2 2 4\n1 1 1\n2 1 -2\n2 1 3\n1 2 4\n";
    TenxFolderInput in{m, f, b};
    CellMatrix whole = read_tenx_folder(in);
    ASSERT_EQ(whole.notes.size(), 2u);
    std::vector<std::string> notes;
    CellMatrix s = stream(in, m, 7, &notes);
    test::expect_same_matrix(s, whole);
    EXPECT_EQ(notes, whole.notes);
    EXPECT_NE(notes[0].find("1 duplicate entries"), std::string::npos) << notes[0];
    EXPECT_NE(notes[1].find("1 negative values"), std::string::npos) << notes[1];
}

}  // namespace
}  // namespace scpt::io
