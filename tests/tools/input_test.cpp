#include "tools/native/input.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::native {
namespace {

std::string error_of(const std::string& path) {
    try {
        read_input(path);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted " << path;
    return "";
}

TEST(ReadInput, FoldersFilesAndFormats) {
    const std::string d = "fixtures/scanpy_10x/3.0.0";
    SCPT_REQUIRE_DATA(d + "/filtered_feature_bc_matrix.h5");
    io::InputFormat f;
    CellMatrix a = read_input(test::data_path(d + "/filtered_feature_bc_matrix"), {}, &f);
    EXPECT_EQ(f, io::InputFormat::TenxFolder);
    // The lone matrix file picks up its neighbours.
    CellMatrix b = read_input(test::data_path(d + "/filtered_feature_bc_matrix/matrix.mtx.gz"), {}, &f);
    EXPECT_EQ(f, io::InputFormat::TenxFolder);
    test::expect_same_matrix(a, b);
    CellMatrix c = read_input(test::data_path(d + "/filtered_feature_bc_matrix.h5"), {}, &f);
    EXPECT_EQ(f, io::InputFormat::TenxH5);
    test::expect_same_matrix(a, c);
}

TEST(ReadInput, GeoStylePrefixedFilesAndLoneMatrix) {
    const std::string d = "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    test::TempDir dir;
    for (const char* n : {"matrix.mtx.gz", "features.tsv.gz", "barcodes.tsv.gz"})
        ASSERT_EQ(::symlink(test::data_path(d + "/" + n).c_str(), dir.file(std::string("GSM1_") + n).c_str()), 0);
    CellMatrix a = read_input(dir.file("GSM1_matrix.mtx.gz"));
    CellMatrix b = read_input(test::data_path(d));
    test::expect_same_matrix(a, b);
    // Alone, the matrix still reads, with numbered genes and a note saying why.
    test::TempDir lone;
    ASSERT_EQ(::symlink(test::data_path(d + "/matrix.mtx.gz").c_str(), lone.file("m.mtx.gz").c_str()), 0);
    io::InputFormat f;
    CellMatrix c = read_input(lone.file("m.mtx.gz"), {}, &f);
    EXPECT_EQ(f, io::InputFormat::MatrixMarket);
    EXPECT_EQ(c.n_cells, b.n_cells);
    EXPECT_EQ(c.gene_symbols[0], "gene1");
    EXPECT_FALSE(c.notes.empty());
}

TEST(ReadInput, SharedDatasetFolderGetsItsMetadata) {
    SCPT_REQUIRE_DATA("soupx_pbmc4k_10x/obs.tsv");
    CellMatrix m = read_input(test::data_path("soupx_pbmc4k_10x"));
    const ObsColumn* ann = m.find_obs("Annotation");
    ASSERT_NE(ann, nullptr);
    EXPECT_EQ(ann->level_count(), 6);  // README: 6 classes
    ASSERT_NE(m.find_obs("label"), nullptr);
    for (int64_t c = 0; c < m.n_cells; ++c) ASSERT_EQ(ann->text(c), m.find_obs("label")->text(c));
}

TEST(ReadInput, ErrorsStartWithThePath) {
    SCPT_REQUIRE_DATA("fixtures/seurat_testdata/nbt_small.Rdata.gz");
    test::TempDir dir;
    std::string p = dir.file("missing.h5ad");
    EXPECT_EQ(error_of(p), p + ": does not exist");
    std::string r = test::data_path("fixtures/seurat_testdata/nbt_small.Rdata.gz");
    EXPECT_EQ(error_of(r).rfind(r + ": is an R data file", 0), 0u);
    test::spit(dir.file("fake.h5ad"), "not hdf5 at all");
    EXPECT_EQ(error_of(dir.file("fake.h5ad")).rfind(dir.file("fake.h5ad") + ": is not an HDF5 file", 0), 0u);
    EXPECT_EQ(error_of(dir.path()).rfind(dir.path() + ": is a folder without matrix.mtx", 0), 0u);
    ::symlink(test::data_path("fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21/matrix.mtx").c_str(),
              dir.file("matrix.mtx").c_str());
    ::symlink(test::data_path("fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21/genes.tsv").c_str(),
              dir.file("genes.tsv").c_str());
    EXPECT_NE(error_of(dir.path()).find("but no barcodes.tsv"), std::string::npos);
    test::spit(dir.file("ragged.tsv"), "gene\tc1\tc2\nCD3E\t1\t2\nMS4A1\t3\n");
    std::string e = error_of(dir.file("ragged.tsv"));
    EXPECT_EQ(e.rfind(dir.file("ragged.tsv") + ": line 3 has 2 fields", 0), 0u) << e;
}

}  // namespace
}  // namespace scpt::native
