#include "core/train/gradient_sum.hpp"

#include <gtest/gtest.h>

#include "tests/core/train/thread_collective.hpp"

namespace scpt::train {
namespace {

// Rank 0 touched genes 1 and 4, rank 1 genes 4 and 6 (vocabulary 8, hidden 2): the sum carries the
// union {1, 4, 6} only, gene 4's rows added, and the biases added.
TEST(GradientSum, SumsTheUnionOfTouchedGenesOnly) {
    std::vector<std::vector<int32_t>> rows(2);
    std::vector<std::vector<float>> out_rows(2), out_bias(2);
    std::vector<double> floats(2);
    test::run_ranks(2, [&](Collective& comm) {
        const int r = comm.rank();
        nn::SparseGrad g;
        g.rows = r == 0 ? std::vector<int32_t>{1, 4} : std::vector<int32_t>{4, 6};
        g.w.resize(2, 2);
        g.w << 1.0f + r, 2.0f, 3.0f, 4.0f + r;
        g.bias.resize(2);
        g.bias << 0.5f, -1.0f * float(r);
        GradientSum s;
        ASSERT_TRUE(s.sum(comm, g, 8, 2, false));
        rows[size_t(r)] = s.rows();
        out_rows[size_t(r)].assign(s.row_gradients(), s.row_gradients() + 2 * s.rows().size());
        out_bias[size_t(r)].assign(s.bias_gradient(), s.bias_gradient() + 2);
        floats[size_t(r)] = s.floats;
    });
    for (int r = 0; r < 2; ++r) {
        EXPECT_EQ(rows[size_t(r)], (std::vector<int32_t>{1, 4, 6}));
        // gene 1: rank 0's first row; gene 4: rank 0's second + rank 1's first; gene 6: rank 1's second.
        EXPECT_EQ(out_rows[size_t(r)], (std::vector<float>{1, 2, 3 + 2, 4 + 2, 3, 5}));
        EXPECT_EQ(out_bias[size_t(r)], (std::vector<float>{1.0f, -1.0f}));
        EXPECT_EQ(floats[size_t(r)], 9 + 3 * 2 + 2);  // flags (8 + cancel), 3 rows, bias
    }
}

TEST(GradientSum, ACancelOnOneRankStopsBoth) {
    std::vector<int> ok(2, -1);
    test::run_ranks(2, [&](Collective& comm) {
        nn::SparseGrad g;
        g.w.resize(0, 3);
        g.bias = nn::Vector::Zero(3);
        GradientSum s;
        ok[size_t(comm.rank())] = s.sum(comm, g, 5, 3, comm.rank() == 1) ? 1 : 0;
    });
    EXPECT_EQ(ok, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace scpt::train
