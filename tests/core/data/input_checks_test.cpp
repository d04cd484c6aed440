#include "core/data/input_checks.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"
#include "tools/native/input.hpp"

namespace scpt {
namespace {

CellMatrix pbmc_small() { return native::read_input(test::data_path("seurat_pbmc_small_unlabeled")); }

std::string error_of(CellMatrix m) {
    try {
        check_input_matrix(m, "x");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(InputChecks, RealDataPassesWithoutNotes) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    CellMatrix m = pbmc_small();
    m.notes.clear();
    check_input_matrix(m, "x");
    EXPECT_TRUE(m.notes.empty()) << m.notes[0];
}

TEST(InputChecks, UnusableMatricesAreErrors) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    CellMatrix zero = pbmc_small();
    std::fill(zero.indptr.begin(), zero.indptr.end(), 0);
    zero.indices.clear();
    zero.values.clear();
    EXPECT_NE(error_of(zero).find("x: holds no expression values"), std::string::npos);
    CellMatrix none;
    none.indptr = {0};
    EXPECT_NE(error_of(none).find("x: has no cells"), std::string::npos);
}

TEST(InputChecks, EmptyCellsAndRepeatedNamesAreNoted) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    CellMatrix m = pbmc_small();
    m.notes.clear();
    // Empty cell 3: drop its entries.
    const int64_t b = m.indptr[3], e = m.indptr[4];
    m.indices.erase(m.indices.begin() + b, m.indices.begin() + e);
    m.values.erase(m.values.begin() + b, m.values.begin() + e);
    for (size_t c = 4; c < m.indptr.size(); ++c) m.indptr[c] -= e - b;
    m.barcodes[7] = m.barcodes[2];
    m.gene_symbols[9] = m.gene_symbols[1];
    check_input_matrix(m, "x");
    ASSERT_EQ(m.notes.size(), 3u);
    EXPECT_NE(m.notes[0].find("1 of 80 cells have no expression values"), std::string::npos) << m.notes[0];
    EXPECT_NE(m.notes[1].find("1 cells share a barcode"), std::string::npos) << m.notes[1];
    EXPECT_NE(m.notes[2].find("1 gene names appear more than once (e.g. '" + m.gene_symbols[1] + "')"), std::string::npos)
        << m.notes[2];
}

}  // namespace
}  // namespace scpt
