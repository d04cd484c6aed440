#include "core/nn/sparse_linear.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/core/nn/random_csr.hpp"

namespace scpt::nn {
namespace {

TEST(SparseBatch, TransposeGroupsEntriesByGeneInRowOrder) {
    auto m = test::random_csr(20, 15, 0.3, 1);
    SparseBatch b;
    b.reset(15);
    std::vector<int64_t> rows{3, 0, 7, 7, 19};
    b.append(m.csr(), rows.data(), int64_t(rows.size()));
    b.finalize();
    ASSERT_EQ(b.rows(), 5);
    auto dense = m.dense();
    // Every batch entry appears once in the transpose, under its gene, rows ascending.
    int64_t seen = 0;
    for (size_t j = 0; j < b.genes().size(); ++j) {
        if (j) EXPECT_LT(b.genes()[j - 1], b.genes()[j]);
        for (int64_t k = b.gene_ptr()[j]; k < b.gene_ptr()[j + 1]; ++k) {
            if (k > b.gene_ptr()[j]) EXPECT_LT(b.t_rows()[size_t(k) - 1], b.t_rows()[size_t(k)]);
            int64_t src = rows[size_t(b.t_rows()[size_t(k)])];
            EXPECT_EQ(double(b.t_values()[size_t(k)]), dense[size_t(src * 15 + b.genes()[j])]);
            ++seen;
        }
    }
    EXPECT_EQ(seen, b.nnz());
    // Reuse after reset: a second batch does not see the first one's entries.
    b.reset(15);
    b.append_range(m.csr(), 5, 6);
    b.finalize();
    EXPECT_EQ(b.nnz(), m.indptr[6] - m.indptr[5]);
    EXPECT_EQ(int64_t(b.t_rows().size()), b.nnz());
}

TEST(SparseLinear, ForwardMatchesDenseProduct) {
    auto m = test::random_csr(30, 40, 0.2, 2);
    Rng rng(3);
    SparseLinear L;
    L.init(40, 24, rng);
    SparseBatch b;
    b.reset(40);
    b.append_range(m.csr(), 0, 30);
    b.finalize();
    Matrix z;
    L.forward(b, z, 1);
    auto x = m.dense();
    for (int64_t r = 0; r < 30; ++r)
        for (int64_t h = 0; h < 24; ++h) {
            double ref = L.bias[size_t(h)];
            for (int64_t g = 0; g < 40; ++g) ref += x[size_t(r * 40 + g)] * L.weight[size_t(g * 24 + h)];
            EXPECT_NEAR(z(r, h), ref, 1e-5);
        }
}

TEST(SparseLinear, InitFollowsPyTorchBound) {
    Rng rng(4);
    SparseLinear L;
    L.init(400, 50, rng);
    float bound = 1.f / 20.f, mx = 0;
    for (float w : L.weight) mx = std::max(mx, std::abs(w));
    for (float w : L.bias) mx = std::max(mx, std::abs(w));
    EXPECT_LE(mx, bound);
    EXPECT_GT(mx, 0.95f * bound);  // uses the whole range
}

TEST(SparseLinear, BackwardGivesRowsOfTouchedGenesOnly) {
    auto m = test::random_csr(10, 50, 0.05, 5);
    Rng rng(6);
    SparseLinear L;
    L.init(50, 8, rng);
    SparseBatch b;
    b.reset(50);
    b.append_range(m.csr(), 0, 10);
    b.finalize();
    Matrix dz = Matrix::Random(10, 8);
    SparseGrad g;
    L.backward(b, dz, g, 1);
    auto x = m.dense();
    // dW = X^T dZ: rows listed are exactly the genes with a nonzero in some cell.
    std::vector<int32_t> touched;
    for (int32_t gene = 0; gene < 50; ++gene) {
        bool any = false;
        for (int64_t r = 0; r < 10; ++r) any |= x[size_t(r * 50 + gene)] != 0;
        if (any) touched.push_back(gene);
    }
    ASSERT_EQ(g.rows, touched);
    for (size_t j = 0; j < touched.size(); ++j)
        for (int64_t h = 0; h < 8; ++h) {
            double ref = 0;
            for (int64_t r = 0; r < 10; ++r) ref += x[size_t(r * 50 + touched[j])] * dz(r, h);
            EXPECT_NEAR(g.w(int64_t(j), h), ref, 1e-5);
        }
    for (int64_t h = 0; h < 8; ++h) EXPECT_NEAR(g.bias(h), dz.col(h).sum(), 1e-5);
}

TEST(SparseLinear, ThreadCountAndBlockingDoNotChangeResults) {
    // Large enough for the parallel paths to engage; hidden = 200 as in scPretrain.
    auto m = test::random_csr(600, 3000, 0.05, 7);
    Rng rng(8);
    SparseLinear L;
    L.init(3000, 200, rng);
    SparseBatch b;
    b.reset(3000);
    b.append_range(m.csr(), 0, 600);
    b.finalize();
    Matrix z1, z2, z3, zall;
    L.forward(b, z1, 1);
    L.forward(b, z2, 2);
    L.forward(b, z3, 3);
    L.forward_all(m.csr(), zall, 2);
    EXPECT_TRUE(z1 == z2);
    EXPECT_TRUE(z1 == z3);
    EXPECT_TRUE(z1 == zall);
    Matrix dz = Matrix::Random(600, 200);
    SparseGrad g1, g2;
    L.backward(b, dz, g1, 1);
    L.backward(b, dz, g2, 3);
    EXPECT_TRUE(g1.w == g2.w);
    EXPECT_TRUE(g1.bias == g2.bias);
}

}  // namespace
}  // namespace scpt::nn
