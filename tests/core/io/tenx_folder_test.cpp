#include "core/io/tenx_folder.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

struct Folder {
    std::string m, f, b, mname, fname, bname;
    TenxFolderInput input() const { return {m, f, b, mname, fname, bname}; }
};

Folder load(const std::string& dir, const std::string& mtx, const std::string& feats, const std::string& bcs) {
    Folder x;
    x.mname = dir + "/" + mtx;
    x.fname = dir + "/" + feats;
    x.bname = dir + "/" + bcs;
    x.m = test::slurp(test::data_path(x.mname));
    x.f = test::slurp(test::data_path(x.fname));
    x.b = test::slurp(test::data_path(x.bname));
    return x;
}

std::vector<std::string> lines(const std::string& text, int column) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l)) {
        if (l.empty()) continue;
        std::istringstream ls(l);
        std::string f;
        for (int k = 0; k <= column; ++k) std::getline(ls, f, '\t');
        out.push_back(f);
    }
    return out;
}

TEST(TenxFolder, V2PlainFolder) {
    const std::string d = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx");
    Folder x = load(d, "matrix.mtx", "genes.tsv", "barcodes.tsv");
    CellMatrix m = read_tenx_folder(x.input());
    EXPECT_EQ(m.n_genes, 343);
    EXPECT_EQ(m.n_cells, 12);
    EXPECT_EQ(m.gene_ids, lines(x.f, 0));
    EXPECT_EQ(m.gene_symbols, lines(x.f, 1));
    EXPECT_EQ(m.barcodes, lines(x.b, 0));
    EXPECT_EQ(test::entries_of(m), test::naive_mtx(x.m));
    EXPECT_NO_THROW(m.validate("x"));
}

TEST(TenxFolder, V3GzippedFolder) {
    const std::string d = "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    Folder x = load(d, "matrix.mtx.gz", "features.tsv.gz", "barcodes.tsv.gz");
    CellMatrix m = read_tenx_folder(x.input());
    EXPECT_EQ(m.n_genes, 507);
    EXPECT_EQ(m.n_cells, 1107);
    std::string feats = test::gunzip_bytes(x.f);
    EXPECT_EQ(m.gene_ids, lines(feats, 0));
    EXPECT_EQ(m.gene_symbols, lines(feats, 1));
    EXPECT_EQ(m.barcodes, lines(test::gunzip_bytes(x.b), 0));
    EXPECT_EQ(test::entries_of(m), test::naive_mtx(test::gunzip_bytes(x.m)));
}

TEST(TenxFolder, MixedGzipAndPlain) {
    const std::string d = "fixtures/seurat_testdata";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    Folder x = load(d, "matrix.mtx.gz", "genes.tsv.gz", "barcodes.tsv");
    CellMatrix m = read_tenx_folder(x.input());
    EXPECT_EQ(m.n_genes, 240);
    EXPECT_EQ(m.n_cells, 80);
    EXPECT_EQ(m.gene_symbols[0], "MS4A1");
    EXPECT_EQ(test::entries_of(m), test::naive_mtx(test::gunzip_bytes(x.m)));
}

TEST(TenxFolder, AntibodyCaptureIsSetAside) {
    const std::string d = "fixtures/seurat_testdata/cr3.0";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    Folder x = load(d, "matrix.mtx.gz", "features.tsv.gz", "barcodes.tsv.gz");
    CellMatrix m = read_tenx_folder(x.input());
    std::vector<std::string> types = lines(test::gunzip_bytes(x.f), 2);
    int64_t gex = std::count(types.begin(), types.end(), "Gene Expression");
    ASSERT_LT(gex, int64_t(types.size()));
    EXPECT_EQ(m.n_genes, gex);
    // Entries of the kept rows only, checked against the file.
    auto all = test::naive_mtx(test::gunzip_bytes(x.m));
    std::map<std::pair<int64_t, int64_t>, double> want;
    for (auto& [k, v] : all)
        if (types[size_t(k.second)] == "Gene Expression") want[k] = v;
    EXPECT_EQ(test::entries_of(m), want);
    ASSERT_FALSE(m.notes.empty());
    EXPECT_NE(m.notes[0].find("Antibody Capture"), std::string::npos) << m.notes[0];
    ReadOptions keep;
    keep.keep_all_features = true;
    EXPECT_EQ(read_tenx_folder(x.input(), keep).n_genes, int64_t(types.size()));
}

TEST(TenxFolder, SoupxToyAndIntegerIds) {
    SCPT_REQUIRE_DATA("fixtures/soupx_toy/filtered_gene_bc_matrices/GRCh38/matrix.mtx");
    Folder x = load("fixtures/soupx_toy/filtered_gene_bc_matrices/GRCh38", "matrix.mtx", "genes.tsv", "barcodes.tsv");
    CellMatrix m = read_tenx_folder(x.input());
    EXPECT_EQ(m.n_genes, 226);
    EXPECT_EQ(m.n_cells, 62);
    Folder y = load("fixtures/scanpy_10x/int-ids", "matrix.mtx", "features.tsv", "barcodes.tsv");
    CellMatrix n = read_tenx_folder(y.input());
    EXPECT_EQ(n.gene_ids, lines(y.f, 0));
    EXPECT_EQ(n.gene_ids[0], "574405");
    EXPECT_EQ(n.gene_symbols[0], "Pwwp4b");
    EXPECT_EQ(test::entries_of(n), test::naive_mtx(y.m));
}

TEST(TenxFolder, TransposedMatrixIsRecognised) {
    const std::string d = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx");
    Folder x = load(d, "matrix.mtx", "genes.tsv", "barcodes.tsv");
    // Swap rows and columns of every entry and of the size line.
    std::istringstream in(x.m);
    std::string l, t;
    bool size = false;
    while (std::getline(in, l)) {
        if (l.empty() || l[0] == '%') { t += l + "\n"; continue; }
        std::istringstream ls(l);
        std::string a, b, c;
        ls >> a >> b >> c;
        t += b + " " + a + " " + c + "\n";
        size = true;
    }
    ASSERT_TRUE(size);
    CellMatrix normal = read_tenx_folder(x.input());
    x.m = t;
    CellMatrix swapped = read_tenx_folder(x.input());
    EXPECT_EQ(test::entries_of(swapped), test::entries_of(normal));
    bool noted = false;
    for (auto& n : swapped.notes) noted |= n.find("transposed") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(TenxFolder, DimensionMismatchNamesTheFile) {
    const std::string d = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx");
    Folder x = load(d, "matrix.mtx", "genes.tsv", "barcodes.tsv");
    x.b = x.b.substr(0, x.b.find('\n') + 1);  // one barcode only
    try {
        read_tenx_folder(x.input());
        FAIL();
    } catch (const InputError& e) {
        std::string w = e.what();
        EXPECT_NE(w.find("barcodes.tsv lists 1 cells"), std::string::npos) << w;
        EXPECT_NE(w.find("12 columns"), std::string::npos) << w;
    }
    Folder y = load(d, "matrix.mtx", "genes.tsv", "barcodes.tsv");
    y.f += "EXTRA\tEXTRA\n";
    try {
        read_tenx_folder(y.input());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("genes.tsv lists 344 genes"), std::string::npos) << e.what();
    }
}

TEST(TenxFolder, CutGzipMatrixIsAnError) {
    const std::string d = "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix";
    SCPT_REQUIRE_DATA(d + "/matrix.mtx.gz");
    Folder x = load(d, "matrix.mtx.gz", "features.tsv.gz", "barcodes.tsv.gz");
    x.m.resize(x.m.size() * 2 / 3);
    try {
        read_tenx_folder(x.input());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("matrix.mtx.gz: "), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace scpt::io
