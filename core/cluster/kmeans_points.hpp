// Points as the K-means code walks them (kmeans.cpp, kmeans_stream.cpp): rows for distances,
// columns for per-dimension centre sums, and the blocked dot products of a point with every centre.
// Internal to core/cluster.
#pragma once
#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/nn/sparse_batch.hpp"

namespace scpt::cluster::detail {

// Sparse points: rows for distances, a column-major copy for per-dimension centre sums.
struct SparsePoints {
    nn::CsrRef x;
    std::vector<int64_t> cptr;
    std::vector<int32_t> cidx;
    std::vector<float> cval;

    explicit SparsePoints(const nn::CsrRef& m) : x(m) {
        cptr.assign(size_t(m.cols) + 1, 0);
        // A view of some rows of a larger matrix starts at indptr[0] > 0.
        const int64_t nnz = m.indptr[m.rows] - m.indptr[0];
        for (int64_t k = m.indptr[0]; k < m.indptr[m.rows]; ++k) ++cptr[size_t(m.indices[k]) + 1];
        for (int64_t g = 0; g < m.cols; ++g) cptr[size_t(g) + 1] += cptr[size_t(g)];
        cidx.resize(size_t(nnz));
        cval.resize(size_t(nnz));
        std::vector<int64_t> cur(cptr.begin(), cptr.end() - 1);
        for (int64_t i = 0; i < m.rows; ++i)
            for (int64_t k = m.indptr[i]; k < m.indptr[i + 1]; ++k) {
                int64_t p = cur[size_t(m.indices[k])]++;
                cidx[size_t(p)] = int32_t(i);
                cval[size_t(p)] = m.values[k];
            }
    }
    int64_t n() const { return x.rows; }
    int64_t d() const { return x.cols; }
    template <class F>
    void row(int64_t i, F&& f) const {
        for (int64_t k = x.indptr[i]; k < x.indptr[i + 1]; ++k) f(int64_t(x.indices[k]), x.values[k]);
    }
    template <class F>
    void col(int64_t g, F&& f) const {
        for (int64_t k = cptr[size_t(g)]; k < cptr[size_t(g) + 1]; ++k) f(int64_t(cidx[size_t(k)]), cval[size_t(k)]);
    }
};

struct DensePoints {
    const float* x;
    int64_t rows, cols;
    int64_t n() const { return rows; }
    int64_t d() const { return cols; }
    template <class F>
    void row(int64_t i, F&& f) const {
        const float* r = x + i * cols;
        for (int64_t g = 0; g < cols; ++g) f(g, r[g]);
    }
    template <class F>
    void col(int64_t g, F&& f) const {
        for (int64_t i = 0; i < rows; ++i) f(i, x[i * cols + g]);
    }
};

// out[c0 .. c0 + W) = x_i . table[:, c0 .. c0 + W) with table dimension-major (dims x stride).
// W is a compile-time width so the accumulators live in registers across the point's entries.
// (Eigen's fixed-size arrays make the vectorisation explicit: left to itself, GCC vectorises
// across the point's entries with gathers instead.)
template <int W, class P>
void dot_block(const P& p, int64_t i, const float* table, int64_t stride, int64_t c0, float* out) {
    using Block = Eigen::Array<float, W, 1>;
    Block acc = Block::Zero();
    p.row(i, [&](int64_t g, float v) { acc += v * Eigen::Map<const Block>(table + g * stride + c0); });
    Eigen::Map<Block>(out + c0) = acc;
}

// out[0 .. width rounded up to 16) = x_i . table[:, c] for every column c; stride % 16 == 0.
template <class P>
void row_dots(const P& p, int64_t i, const float* table, int64_t stride, int64_t width, float* out) {
    for (int64_t c0 = 0; c0 < width; c0 += 64) {
        switch ((std::min<int64_t>(64, width - c0) + 15) / 16) {
            case 1: dot_block<16>(p, i, table, stride, c0, out); break;
            case 2: dot_block<32>(p, i, table, stride, c0, out); break;
            case 3: dot_block<48>(p, i, table, stride, c0, out); break;
            default: dot_block<64>(p, i, table, stride, c0, out); break;
        }
    }
}

inline int64_t round16(int64_t k) { return (k + 15) / 16 * 16; }

}  // namespace scpt::cluster::detail
