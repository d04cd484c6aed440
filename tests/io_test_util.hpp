// Helpers for reader tests: file bytes, temporary folders, gzip, an independent (slow, obvious)
// Matrix Market parser to check the fast one against, and a dense view of a CellMatrix.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "tests/test_data.hpp"

namespace scpt::test {

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// gzip-compresses bytes with zlib (independent of the code under test).
inline std::string gzip_bytes(const std::string& in, int level = 6) {
    z_stream z{};
    deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, uLong(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef*>(&out[0]);
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

inline std::string gunzip_bytes(const std::string& in) {
    z_stream z{};
    inflateInit2(&z, 16 + MAX_WBITS);
    std::string out;
    char buf[65536];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    int rc;
    do {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    } while (rc == Z_OK);
    inflateEnd(&z);
    return out;
}

// A fresh temporary folder, removed with its files at scope exit.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/scpt_test_XXXXXX";
        path_ = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// (cell, gene) -> value, summing duplicates, from an obvious line-by-line parse of a Matrix Market
// text in 10x orientation (rows = genes).
inline std::map<std::pair<int64_t, int64_t>, double> naive_mtx(const std::string& text, int64_t* genes = nullptr,
                                                               int64_t* cells = nullptr) {
    std::istringstream in(text);
    std::string line;
    bool size_seen = false;
    std::map<std::pair<int64_t, int64_t>, double> out;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '%') continue;
        std::istringstream ls(line);
        if (!size_seen) {
            int64_t r, c, n;
            ls >> r >> c >> n;
            if (genes) *genes = r;
            if (cells) *cells = c;
            size_seen = true;
            continue;
        }
        int64_t r, c;
        double v = 1;
        ls >> r >> c;
        if (!(ls >> v)) v = 1;
        out[{c - 1, r - 1}] += v;
    }
    return out;
}

// The stored entries of m as (cell, gene) -> value.
inline std::map<std::pair<int64_t, int64_t>, double> entries_of(const CellMatrix& m) {
    std::map<std::pair<int64_t, int64_t>, double> out;
    for (int64_t c = 0; c < m.n_cells; ++c)
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k)
            out[{c, m.indices[size_t(k)]}] += m.values[size_t(k)];
    return out;
}

// Exact equality of two matrices' shapes, names and stored entries.
inline void expect_same_matrix(const CellMatrix& a, const CellMatrix& b, bool compare_ids = true) {
    ASSERT_EQ(a.n_cells, b.n_cells);
    ASSERT_EQ(a.n_genes, b.n_genes);
    EXPECT_EQ(a.barcodes, b.barcodes);
    EXPECT_EQ(a.gene_symbols, b.gene_symbols);
    if (compare_ids) EXPECT_EQ(a.gene_ids, b.gene_ids);
    EXPECT_EQ(a.indptr, b.indptr);
    EXPECT_EQ(a.indices, b.indices);
    EXPECT_EQ(a.values, b.values);
}

}  // namespace scpt::test
