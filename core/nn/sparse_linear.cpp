#include "core/nn/sparse_linear.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/nn/init.hpp"
#include "core/util/parallel.hpp"

namespace scpt::nn {
namespace {

// Hidden units are split between threads in blocks of this many floats (one AVX-512 register),
// so that every thread's slice of a row stays vector-aligned.
constexpr int64_t kBlock = 16;
// Cells per block in forward_all: their activations (kCells x hidden floats) stay in L2 while
// each touched weight row is read once for the block.
constexpr int64_t kCells = 256;

inline void axpy(float* __restrict y, const float* __restrict x, float a, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

// z[:, h0:h1] = b + x W over the gene-major transpose of x.
void forward_cols(const SparseLinear& L, const SparseBatch& x, Matrix& z, int64_t h0, int64_t h1) {
    const int64_t rows = x.rows(), out = L.out;
    for (int64_t r = 0; r < rows; ++r) std::copy(L.bias.begin() + h0, L.bias.begin() + h1, z.data() + r * out + h0);
    const auto& genes = x.genes();
    const auto& ptr = x.gene_ptr();
    const int32_t* trow = x.t_rows().data();
    const float* tval = x.t_values().data();
    for (size_t j = 0; j < genes.size(); ++j) {
        const float* w = L.row(genes[j]) + h0;
        for (int64_t k = ptr[j]; k < ptr[j + 1]; ++k) axpy(z.data() + int64_t(trow[k]) * out + h0, w, tval[k], h1 - h0);
    }
}

}  // namespace

void SparseLinear::init(int64_t in_features, int64_t out_features, Rng& rng) {
    in = in_features;
    out = out_features;
    weight.resize(size_t(in * out));
    bias.resize(size_t(out));
    float bound = linear_init_bound(in);
    uniform_fill(weight.data(), in * out, bound, rng);
    uniform_fill(bias.data(), out, bound, rng);
}

void SparseLinear::forward(const SparseBatch& x, Matrix& z, int threads) const {
    if (x.cols() != in) throw std::logic_error("SparseLinear::forward: input width mismatch");
    z.resize(x.rows(), out);
    if (x.rows() == 0) return;
    const int64_t blocks = (out + kBlock - 1) / kBlock;
    // Below ~64k multiply-adds a thread costs more than it saves.
    int t = x.nnz() * out < (1 << 16) ? 1 : threads;
    parallel_chunks(blocks, t, [&](int64_t b0, int64_t b1, int) {
        forward_cols(*this, x, z, b0 * kBlock, std::min(out, b1 * kBlock));
    });
}

void SparseLinear::forward_all(const CsrRef& x, Matrix& z, int threads) const {
    if (x.cols != in) throw std::logic_error("SparseLinear::forward_all: input width mismatch");
    z.resize(x.rows, out);
    const int64_t blocks = (x.rows + kCells - 1) / kCells;
    parallel_chunks(blocks, threads, [&](int64_t b0, int64_t b1, int) {
        SparseBatch batch;
        Matrix zb;
        for (int64_t b = b0; b < b1; ++b) {
            int64_t r0 = b * kCells, r1 = std::min(x.rows, r0 + kCells);
            batch.reset(in);
            batch.append_range(x, r0, r1);
            batch.finalize();
            zb.resize(r1 - r0, out);
            forward_cols(*this, batch, zb, 0, out);
            z.middleRows(r0, r1 - r0) = zb;
        }
    });
}

void SparseLinear::backward(const SparseBatch& x, const Matrix& dz, SparseGrad& grad, int threads) const {
    if (dz.rows() != x.rows() || dz.cols() != out) throw std::logic_error("SparseLinear::backward: shape mismatch");
    const auto& genes = x.genes();
    const auto& ptr = x.gene_ptr();
    const int32_t* trow = x.t_rows().data();
    const float* tval = x.t_values().data();
    const int64_t n = int64_t(genes.size());
    grad.rows = genes;
    grad.w.resize(n, out);
    int t = x.nnz() * out < (1 << 16) ? 1 : threads;
    parallel_chunks(n, t, [&](int64_t j0, int64_t j1, int) {
        for (int64_t j = j0; j < j1; ++j) {
            float* g = grad.w.data() + j * out;
            std::fill(g, g + out, 0.f);
            for (int64_t k = ptr[size_t(j)]; k < ptr[size_t(j) + 1]; ++k) axpy(g, dz.data() + int64_t(trow[k]) * out, tval[k], out);
        }
    });
    grad.bias.setZero(out);
    for (int64_t r = 0; r < dz.rows(); ++r) grad.bias += dz.row(r).transpose();
}

}  // namespace scpt::nn
