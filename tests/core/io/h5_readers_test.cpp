// The HDF5 layout readers (core/io/tenx_h5, h5ad, loom, cellblast_h5) through the native H5Source,
// checked against the same data in other formats and against values read with h5py.
#include <gtest/gtest.h>

#include <cmath>

#include "core/io/cellblast_h5.hpp"
#include "core/io/format.hpp"
#include "core/io/h5ad.hpp"
#include "core/io/loom.hpp"
#include "core/io/tenx_folder.hpp"
#include "core/io/tenx_h5.hpp"
#include "core/util/error.hpp"
#include "tests/h5_test_writer.hpp"
#include "tests/io_test_util.hpp"
#include "tools/native/hdf5_file.hpp"
#include "tools/native/input.hpp"

namespace scpt::io {
namespace {

using native::Hdf5File;

CellMatrix folder(const std::string& rel) { return native::read_input(test::data_path(rel)); }

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
}

TEST(TenxH5, V2AgreesExactlyWithTheMtxFolder) {
    const std::string h5 = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices_h5.h5";
    SCPT_REQUIRE_DATA(h5);
    auto f = Hdf5File::open(test::data_path(h5));
    EXPECT_EQ(detect_h5_layout(*f), InputFormat::TenxH5);
    CellMatrix a = read_tenx_h5(*f);
    CellMatrix b = folder("fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21");
    test::expect_same_matrix(a, b);
}

TEST(TenxH5, V3AgreesExactlyWithTheMtxFolder) {
    const std::string h5 = "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix.h5";
    SCPT_REQUIRE_DATA(h5);
    auto f = Hdf5File::open(test::data_path(h5));
    CellMatrix a = read_tenx_h5(*f);
    CellMatrix b = folder("fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix");
    test::expect_same_matrix(a, b);
}

TEST(TenxH5, GenomesDefaultChoiceAndErrors) {
    const std::string h5 = "fixtures/scanpy_10x/1.2.0/multiple_genomes.h5";
    SCPT_REQUIRE_DATA(h5);
    auto f = Hdf5File::open(test::data_path(h5));
    EXPECT_EQ(tenx_h5_v2_genomes(*f), (std::vector<std::string>{"another_genome", "hg19_chr21"}));
    CellMatrix first = read_tenx_h5(*f);
    ASSERT_FALSE(first.notes.empty());
    EXPECT_NE(first.notes[0].find("another_genome, hg19_chr21"), std::string::npos);
    ReadOptions o;
    o.genome = "hg19_chr21";
    CellMatrix chosen = read_tenx_h5(*f, o);
    auto single = Hdf5File::open(test::data_path("fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices_h5.h5"));
    test::expect_same_matrix(chosen, read_tenx_h5(*single));
    o.genome = "mm10";
    EXPECT_NE(error_of([&] { read_tenx_h5(*f, o); }).find("has no genome 'mm10' (genomes: another_genome, hg19_chr21)"),
              std::string::npos);
}

TEST(H5ad, DenseOldEncodingMatchesTheStagedDataset) {
    const std::string h5 = "fixtures/scp_ingest/test.h5ad";
    SCPT_REQUIRE_DATA(h5);
    SCPT_REQUIRE_DATA("scp_mouse_brainstem_neurons_tiny/matrix.mtx.gz");
    auto f = Hdf5File::open(test::data_path(h5));
    EXPECT_EQ(detect_h5_layout(*f), InputFormat::H5ad);
    CellMatrix a = read_h5ad(*f);
    CellMatrix b = folder("scp_mouse_brainstem_neurons_tiny");
    test::expect_same_matrix(a, b, /*compare_ids=*/false);
    // Pre-0.7 categoricals (codes + obs/__categories/<col>) against the staged labels.
    const ObsColumn* ct = a.find_obs("cell_type__ontology_label");
    ASSERT_NE(ct, nullptr);
    EXPECT_EQ(ct->level_count(), 5);
    const ObsColumn* label = b.find_obs("label");
    ASSERT_NE(label, nullptr);
    for (int64_t c = 0; c < a.n_cells; ++c) ASSERT_EQ(ct->text(c), label->text(c)) << c;
}

TEST(H5ad, CellxgeneIndexedByEnsemblId) {
    const std::string h5 = "fixtures/scp_ingest/indexed_by_gene_id.h5ad";
    SCPT_REQUIRE_DATA(h5);
    SCPT_REQUIRE_DATA("scp_mouse_retina_amacrine_tiny/matrix.mtx.gz");
    auto f = Hdf5File::open(test::data_path(h5));
    CellMatrix a = read_h5ad(*f);
    CellMatrix b = folder("scp_mouse_retina_amacrine_tiny");
    EXPECT_EQ(a.gene_ids, b.gene_ids);
    EXPECT_EQ(a.gene_ids[0].substr(0, 7), "ENSMUSG");
    EXPECT_NE(a.gene_symbols[0].substr(0, 3), "ENS");  // symbols came from a var column
    ASSERT_EQ(a.indptr, b.indptr);
    ASSERT_EQ(a.indices, b.indices);
    for (size_t k = 0; k < a.values.size(); ++k) ASSERT_NEAR(a.values[k], b.values[k], 1e-5 * std::fabs(b.values[k]) + 1e-6);
    // The staged dataset took its symbols from var.gene_symbols: choosing that column agrees.
    ReadOptions o;
    o.gene_column = "gene_symbols";
    EXPECT_EQ(read_h5ad(*f, o).gene_symbols, b.gene_symbols);
    o.gene_column = "nope";
    EXPECT_NE(error_of([&] { read_h5ad(*f, o); }).find("has no gene column 'nope'"), std::string::npos);
    const ObsColumn* ct = a.find_obs("cell_type__ontology_label");
    ASSERT_NE(ct, nullptr);
    EXPECT_EQ(ct->level_count(), 3);
    EXPECT_FALSE(a.find_obs("is_primary_data") == nullptr);  // a boolean column
}

TEST(H5ad, RawOfPbmc68kMatchesTheStagedDataset) {
    const std::string h5 = "fixtures/h5ad/10x_pbmc68k_reduced.h5ad";
    SCPT_REQUIRE_DATA(h5);
    SCPT_REQUIRE_DATA("pbmc68k_reduced/matrix.mtx.gz");
    auto f = Hdf5File::open(test::data_path(h5));
    ReadOptions o;
    o.use_raw = true;
    CellMatrix a = read_h5ad(*f, o);
    CellMatrix b = folder("pbmc68k_reduced");
    ASSERT_EQ(a.n_cells, b.n_cells);
    ASSERT_EQ(a.n_genes, b.n_genes);
    EXPECT_EQ(a.barcodes, b.barcodes);
    EXPECT_EQ(a.gene_symbols, b.gene_symbols);
    EXPECT_EQ(a.indptr, b.indptr);
    EXPECT_EQ(a.indices, b.indices);
    for (size_t k = 0; k < a.values.size(); ++k) ASSERT_NEAR(a.values[k], b.values[k], 1e-5 * std::fabs(b.values[k]) + 1e-6);
    const ObsColumn* bulk = a.find_obs("bulk_labels");
    ASSERT_NE(bulk, nullptr);
    EXPECT_EQ(bulk->level_count(), 10);
    for (int64_t c = 0; c < a.n_cells; ++c) ASSERT_EQ(bulk->text(c), b.find_obs("label")->text(c));
    // X (not raw) is dense and z-scaled: negative values.
    CellMatrix x = read_h5ad(*f);
    EXPECT_EQ(x.n_genes, 765);
    EXPECT_LT(*std::min_element(x.values.begin(), x.values.end()), 0.f);
}

TEST(H5ad, LzfCompressedCountsMatchTheStagedDataset) {
    const std::string h5 = "fixtures/h5ad/pbmc_5k_protein_v3.h5ad";
    SCPT_REQUIRE_DATA(h5);
    SCPT_REQUIRE_DATA("pbmc5k_cite_10xv3_subset/matrix.mtx.gz");
    auto f = Hdf5File::open(test::data_path(h5));
    CellMatrix a = read_h5ad(*f);
    CellMatrix b = folder("pbmc5k_cite_10xv3_subset");
    test::expect_same_matrix(a, b, false);
}

TEST(Loom, ValuesAgreeWithH5py) {
    const std::string p = "fixtures/scp_ingest/test_loom.loom";
    SCPT_REQUIRE_DATA(p);
    auto f = Hdf5File::open(test::data_path(p));
    EXPECT_EQ(detect_h5_layout(*f), InputFormat::Loom);
    CellMatrix m = read_loom(*f);
    EXPECT_EQ(m.n_cells, 5);
    EXPECT_EQ(m.n_genes, 10);
    EXPECT_EQ(m.gene_symbols[0], "A2M");
    // h5py: matrix[0, 2] = 2.646434, matrix[1, 1] = 3.8866334 (rows genes, columns cells).
    auto value = [&](int64_t cell, int32_t gene) {
        for (int64_t k = m.indptr[size_t(cell)]; k < m.indptr[size_t(cell) + 1]; ++k)
            if (m.indices[size_t(k)] == gene) return m.values[size_t(k)];
        return 0.f;
    };
    EXPECT_FLOAT_EQ(value(2, 0), 2.646434f);
    EXPECT_FLOAT_EQ(value(1, 1), 3.8866334f);
    EXPECT_NE(m.find_obs("cell_type"), nullptr);
    EXPECT_EQ(m.find_obs("X_pca"), nullptr);  // 2-D attributes are not metadata columns
}

// Cell BLAST has no fixture: write one from a real dataset in three layouts and read it back.
class CellBlast : public ::testing::Test {
protected:
    void write(const CellMatrix& m, const std::string& path, int layout) {
        test::H5Writer w(path);
        if (layout == 0) {  // CSR by cell
            w.group("/exprs");
            w.numbers("/exprs/data", m.values);
            w.numbers("/exprs/indices", m.indices);
            w.numbers("/exprs/indptr", m.indptr);
            w.numbers("/exprs/shape", std::vector<int64_t>{m.n_cells, m.n_genes});
        } else if (layout == 1) {  // CSC (compressed by gene)
            std::vector<std::vector<std::pair<int32_t, float>>> by_gene(size_t(m.n_genes));
            for (int64_t c = 0; c < m.n_cells; ++c)
                for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k)
                    by_gene[size_t(m.indices[size_t(k)])].push_back({int32_t(c), m.values[size_t(k)]});
            std::vector<float> data;
            std::vector<int32_t> idx;
            std::vector<int64_t> ptr{0};
            for (auto& g : by_gene) {
                for (auto& [c, v] : g) idx.push_back(c), data.push_back(v);
                ptr.push_back(int64_t(idx.size()));
            }
            w.group("/exprs");
            w.numbers("/exprs/data", data);
            w.numbers("/exprs/indices", idx);
            w.numbers("/exprs/indptr", ptr);
            w.numbers("/exprs/shape", std::vector<int64_t>{m.n_cells, m.n_genes});
        } else {  // dense genes x cells
            std::vector<float> dense(size_t(m.n_cells * m.n_genes), 0.f);
            for (int64_t c = 0; c < m.n_cells; ++c)
                for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k)
                    dense[size_t(m.indices[size_t(k)] * m.n_cells + c)] = m.values[size_t(k)];
            w.numbers("/exprs", dense, {hsize_t(m.n_genes), hsize_t(m.n_cells)});
        }
        w.strings("/obs_names", m.barcodes);
        w.strings("/var_names", m.gene_symbols);
        w.group("/obs");
        std::vector<std::string> labels;
        for (int64_t c = 0; c < m.n_cells; ++c) labels.push_back(m.find_obs("label")->text(c));
        w.strings("/obs/cell_ontology_class", labels);
        w.group("/uns");
    }
};

TEST_F(CellBlast, AllLayoutsReadBackTheSameData) {
    // 238 cells x 187 genes: the orientation is visible from the shapes.
    SCPT_REQUIRE_DATA("scp_mouse_brainstem_neurons_tiny/matrix.mtx.gz");
    CellMatrix src = folder("scp_mouse_brainstem_neurons_tiny");
    test::TempDir dir;
    for (int layout = 0; layout < 3; ++layout) {
        std::string p = dir.file("cb" + std::to_string(layout) + ".h5");
        write(src, p, layout);
        auto f = Hdf5File::open(p);
        ASSERT_EQ(detect_h5_layout(*f), InputFormat::CellBlastH5);
        CellMatrix m = read_cellblast_h5(*f);
        EXPECT_EQ(m.barcodes, src.barcodes) << layout;
        EXPECT_EQ(m.gene_symbols, src.gene_symbols);
        EXPECT_EQ(m.indptr, src.indptr) << layout;
        EXPECT_EQ(m.indices, src.indices) << layout;
        EXPECT_EQ(m.values, src.values) << layout;
        const ObsColumn* cl = m.find_obs("cell_ontology_class");
        ASSERT_NE(cl, nullptr);
        EXPECT_EQ(cl->level_count(), src.find_obs("label")->level_count());
        if (layout == 2) EXPECT_FALSE(m.notes.empty());
    }
}

TEST(H5Errors, MissingDatasetUnknownEncodingAndDamage) {
    SCPT_REQUIRE_DATA("fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix.h5");
    test::TempDir dir;
    {  // a 10x v3 file without indices
        test::H5Writer w(dir.file("no_indices.h5"));
        w.group("/matrix");
        w.group("/matrix/features");
        w.strings("/matrix/features/id", {"G1", "G2"});
        w.strings("/matrix/features/name", {"A", "B"});
        w.strings("/matrix/barcodes", {"c1"});
        w.numbers("/matrix/shape", std::vector<int32_t>{2, 1});
        w.numbers("/matrix/data", std::vector<float>{1});
        w.numbers("/matrix/indptr", std::vector<int64_t>{0, 1});
    }
    auto f = Hdf5File::open(dir.file("no_indices.h5"));
    EXPECT_NE(error_of([&] { read_tenx_h5(*f); }).find("has no dataset /matrix/indices"), std::string::npos);
    {  // an AnnData file whose X has an encoding this reader does not know
        test::H5Writer w(dir.file("coo.h5ad"));
        w.attr("/", "encoding-type", "anndata");
        w.group("/X");
        w.attr("/X", "encoding-type", "coo_matrix");
        w.group("/obs");
        w.group("/var");
    }
    auto g = Hdf5File::open(dir.file("coo.h5ad"));
    EXPECT_NE(error_of([&] { read_h5ad(*g); }).find("'coo_matrix'"), std::string::npos);
    ReadOptions raw;
    raw.use_raw = true;
    EXPECT_NE(error_of([&] { read_h5ad(*g, raw); }).find("has no .raw"), std::string::npos);
    ReadOptions layer;
    layer.layer = "counts";
    EXPECT_NE(error_of([&] { read_h5ad(*g, layer); }).find("has no layer 'counts'"), std::string::npos);
    // A file cut in half.
    std::string bytes = test::slurp(test::data_path("fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix.h5"));
    test::spit(dir.file("cut.h5"), bytes.substr(0, bytes.size() / 2));
    std::string e = error_of([&] { native::read_input(dir.file("cut.h5")); });
    EXPECT_EQ(e.rfind(dir.file("cut.h5"), 0), 0u) << e;
    // An HDF5 file of no known layout.
    { test::H5Writer w(dir.file("other.h5")); w.group("/something"); }
    EXPECT_NE(error_of([&] { native::read_input(dir.file("other.h5")); }).find("unknown layout (top level: something)"),
              std::string::npos);
}

TEST(H5ad, OldCategoriesInUnsAndNullableColumns) {
    test::TempDir dir;
    {
        test::H5Writer w(dir.file("old.h5ad"));
        w.numbers("/X", std::vector<float>{1, 0, 2, 3}, {2, 2});
        w.group("/obs");
        w.attr("/obs", "_index", "index");
        w.strings("/obs/index", {"c1", "c2"});
        w.numbers("/obs/louvain", std::vector<int8_t>{1, 0});
        w.attr("/obs/louvain", "categories", "ref");  // stands in for the object reference
        w.group("/obs/n");
        w.attr("/obs/n", "encoding-type", "nullable-integer");
        w.numbers("/obs/n/values", std::vector<int64_t>{5, 7});
        w.numbers("/obs/n/mask", std::vector<int8_t>{0, 1});
        w.group("/uns");
        w.strings("/uns/louvain_categories", {"A", "B"});
        w.group("/var");
        w.attr("/var", "_index", "index");
        w.strings("/var/index", {"CD3E", "MS4A1"});
    }
    auto f = Hdf5File::open(dir.file("old.h5ad"));
    CellMatrix m = read_h5ad(*f);
    EXPECT_EQ(m.values, (std::vector<float>{1, 2, 3}));
    const ObsColumn* l = m.find_obs("louvain");
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->text(0), "B");
    EXPECT_EQ(l->text(1), "A");
    const ObsColumn* n = m.find_obs("n");
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->text(0), "5");
    EXPECT_EQ(n->text(1), "");
}

}  // namespace
}  // namespace scpt::io

namespace scpt::io {
namespace {

// No fixture stores X as csc_matrix: write one (and its CSR twin) from a real dataset.
TEST(H5ad, CscAndCsrOfTheSameDataAgree) {
    SCPT_REQUIRE_DATA("scp_mouse_brainstem_neurons_tiny/matrix.mtx.gz");
    CellMatrix src = native::read_input(test::data_path("scp_mouse_brainstem_neurons_tiny"));
    test::TempDir dir;
    for (bool csc : {false, true}) {
        std::string p = dir.file(csc ? "csc.h5ad" : "csr.h5ad");
        {
            test::H5Writer w(p);
            w.attr("/", "encoding-type", "anndata");
            w.group("/X");
            w.attr("/X", "encoding-type", csc ? "csc_matrix" : "csr_matrix");
            w.attr_ints("/X", "shape", {src.n_cells, src.n_genes});
            std::vector<float> data;
            std::vector<int32_t> idx;
            std::vector<int64_t> ptr{0};
            if (!csc) {
                data = src.values;
                idx = src.indices;
                ptr = src.indptr;
            } else {
                for (int64_t g = 0; g < src.n_genes; ++g) {
                    for (int64_t c = 0; c < src.n_cells; ++c)
                        for (int64_t k = src.indptr[size_t(c)]; k < src.indptr[size_t(c) + 1]; ++k)
                            if (src.indices[size_t(k)] == g) idx.push_back(int32_t(c)), data.push_back(src.values[size_t(k)]);
                    ptr.push_back(int64_t(idx.size()));
                }
            }
            w.numbers("/X/data", data);
            w.numbers("/X/indices", idx);
            w.numbers("/X/indptr", ptr);
            w.group("/obs");
            w.attr("/obs", "_index", "_index");
            w.strings("/obs/_index", src.barcodes);
            w.group("/var");
            w.attr("/var", "_index", "_index");
            w.strings("/var/_index", src.gene_symbols);
        }
        auto f = native::Hdf5File::open(p);
        CellMatrix m = read_h5ad(*f);
        test::expect_same_matrix(m, src, false);
    }
}

}  // namespace
}  // namespace scpt::io
