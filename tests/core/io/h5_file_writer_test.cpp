// Core's in-memory HDF5 writer (core/io/h5_file_writer.hpp), held to libhdf5: the .h5ad layout it
// writes is read back by libhdf5 (our reader over Debian's libhdf5), and h5py sees the same
// objects, dtypes, values and attributes as in the file libhdf5's own sink (tools/native/hdf5_sink)
// writes from the same content.
#include "core/io/h5_file_writer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/io/h5ad.hpp"
#include "core/io/h5ad_write.hpp"
#include "tests/io_test_util.hpp"
#include "tests/test_data.hpp"
#include "tools/native/hdf5_file.hpp"
#include "tools/native/hdf5_sink.hpp"

namespace scpt {
namespace {

// 3 cells x 4 genes: cell 0 {g1: 1}, cell 1 {}, cell 2 {g0: 2, g3: 5}.
CellMatrix small() {
    CellMatrix m;
    m.n_cells = 3;
    m.n_genes = 4;
    m.indptr = {0, 1, 1, 3};
    m.indices = {1, 0, 3};
    m.values = {1, 2, 5.5f};
    m.gene_ids = {"E0", "E1", "E2", "E3"};
    m.gene_symbols = {"A", "B", "", "D\xc3\xa9"};  // UTF-8
    m.barcodes = {"c0", "c1", "c2"};
    return m;
}

io::H5adContent content(const CellMatrix& m) {
    io::H5adContent c;
    c.matrix = &m;
    c.rows = {2, 0, 1};
    c.obs.push_back(io::H5adColumn::categorical("label", {"T cell", "B", ""}, {1, -1, 2}));
    c.obs.push_back(io::H5adColumn::float32("confidence", {0.5f, 0.25f, 1e-30f}));
    c.obs.push_back(io::H5adColumn::boolean("unassigned", {0, 1, 1}));
    c.obs.push_back(io::H5adColumn::float64("depth", {1e300, -2, 0.1}));
    c.obs.push_back(io::H5adColumn::int32("cluster", {7, -1, 1 << 30}));
    c.obsm.push_back({"X_umap", 2, {1, 2, 3, 4, 5, 6}});
    return c;
}

std::string bytes_of(const io::H5adContent& c) {
    io::H5FileWriter w;
    io::write_h5ad(c, w);
    const std::vector<uint8_t> b = w.finish();
    return std::string(b.begin(), b.end());
}

TEST(H5FileWriter, LibHdf5ReadsTheH5adBackAsWritten) {
    const CellMatrix m = small();
    auto f = native::Hdf5File::open_image("cells.h5ad", bytes_of(content(m)));
    const CellMatrix back = io::read_h5ad(*f);
    ASSERT_EQ(back.n_cells, 3);
    ASSERT_EQ(back.n_genes, 4);
    EXPECT_EQ(back.barcodes, (std::vector<std::string>{"c2", "c0", "c1"}));
    EXPECT_EQ(back.gene_symbols[3], "D\xc3\xa9");
    EXPECT_EQ(back.indptr, (std::vector<int64_t>{0, 2, 3, 3}));
    EXPECT_EQ(back.values, (std::vector<float>{2, 5.5f, 1}));
    const ObsColumn* label = nullptr;
    for (const auto& o : back.obs)
        if (o.name == "label") label = &o;
    ASSERT_NE(label, nullptr);
    EXPECT_EQ(label->text(0), "B");
    EXPECT_EQ(label->text(1), "");
    EXPECT_EQ(f->read_string_attribute("/obs", "column-order"),
              (std::vector<std::string>{"label", "confidence", "unassigned", "depth", "cluster"}));
    EXPECT_EQ(f->read_int_attribute("/X", "shape"), (std::vector<int64_t>{3, 4}));
    std::vector<double> depth(3);
    f->read_double("/obs/depth", 0, 3, depth.data());
    EXPECT_EQ(depth, (std::vector<double>{1e300, -2, 0.1}));
    const io::H5DatasetInfo umap = f->dataset_info("/obsm/X_umap");
    EXPECT_EQ(umap.shape, (std::vector<int64_t>{3, 2}));
}

TEST(H5FileWriter, ManyStringsSpanSeveralHeapCollections) {
    // Over 65535 strings (a collection's 16-bit object index) and over 1 MiB of text.
    std::vector<std::string> v;
    for (int i = 0; i < 70000; ++i) v.push_back("cell_" + std::to_string(i) + std::string(size_t(i % 40), 'x'));
    v[5] = "";
    io::H5FileWriter w;
    w.create_group("/");
    w.write_strings("/s", v);
    const std::vector<uint8_t> b = w.finish();
    auto f = native::Hdf5File::open_image("s.h5", std::string(b.begin(), b.end()));
    EXPECT_EQ(f->read_strings("/s", 0, int64_t(v.size())), v);
}

TEST(H5FileWriter, AHeapCollectionEndingInLessFreeSpaceThanAnObjectHeader) {
    // 168 objects of 16 + 8 bytes and one of 16 + 24 after the 16-byte collection header: 4,088
    // bytes, so the 4,096-byte collection ends in 8 bytes of free space, too few for a header.
    std::vector<std::string> v;
    for (int i = 0; i < 168; ++i) v.push_back("s" + std::string(7 - std::to_string(i).size(), '0') + std::to_string(i));
    v.push_back(std::string(24, 'y'));
    io::H5FileWriter w;
    w.create_group("/");
    w.write_strings("/s", v);
    const std::vector<uint8_t> b = w.finish();
    auto f = native::Hdf5File::open_image("s.h5", std::string(b.begin(), b.end()));
    EXPECT_EQ(f->read_strings("/s", 0, int64_t(v.size())), v);
}

TEST(H5FileWriter, RefusesWhatTheSinkContractForbids) {
    io::H5FileWriter w;
    w.create_group("/");
    EXPECT_THROW(w.create_group("/a/b"), std::invalid_argument);  // no parent
    w.create_group("/a");
    EXPECT_THROW(w.create_group("/a"), std::invalid_argument);  // twice
    const uint8_t two = 2;
    EXPECT_THROW(w.write_bool("/a/x", {1}, &two), std::invalid_argument);
    EXPECT_THROW(w.set_string_attribute("/nope", "k", "v"), std::invalid_argument);
    w.set_string_attribute("/a", "k", "v");
    EXPECT_THROW(w.set_string_attribute("/a", "k", "w"), std::invalid_argument);
}

// The differential check: h5py sees in our file exactly what it sees in libhdf5's.
TEST(H5FileWriter, H5pySeesWhatLibHdf5sOwnSinkWrites) {
    if (std::system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3-h5py is missing (tools/setup installs it)";
    const CellMatrix m = small();
    const io::H5adContent c = content(m);
    test::TempDir dir;
    {
        native::Hdf5Sink sink(dir.file("libhdf5.h5ad"), "libhdf5.h5ad");
        io::write_h5ad(c, sink);
        sink.close();
    }
    std::ofstream(dir.file("ours.h5ad"), std::ios::binary) << bytes_of(c);
    const std::string cmd = "/usr/bin/python3 '" + test::source_path("tests/tools/h5_same.py") + "' '" +
                            dir.file("libhdf5.h5ad") + "' '" + dir.file("ours.h5ad") + "' >'" + dir.file("out") + "' 2>&1";
    const int st = std::system(cmd.c_str());
    const std::string out = test::slurp(dir.file("out"));
    EXPECT_EQ(st, 0) << out;
    EXPECT_EQ(out.rfind("same: ", 0), 0u) << out;
}

}  // namespace
}  // namespace scpt
