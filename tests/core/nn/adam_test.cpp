#include "core/nn/adam.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace scpt::nn {
namespace {

TEST(Adam, FollowsPyTorchFormulaOverSeveralSteps) {
    AdamOptions o;
    o.lr = 0.01;
    Adam adam(o);
    AdamSlot s;
    std::vector<float> p{0.5f, -1.f, 2.f};
    std::vector<double> pd{0.5, -1.0, 2.0}, m(3, 0.0), v(3, 0.0);
    for (int t = 1; t <= 5; ++t) {
        std::vector<float> g{float(0.1 * t), -0.3f, t % 2 ? 1.f : -2.f};
        adam.update(s, p.data(), g.data(), 3);
        for (int i = 0; i < 3; ++i) {
            m[size_t(i)] = 0.9 * m[size_t(i)] + 0.1 * g[size_t(i)];
            v[size_t(i)] = 0.999 * v[size_t(i)] + 0.001 * double(g[size_t(i)]) * g[size_t(i)];
            double mh = m[size_t(i)] / (1 - std::pow(0.9, t)), vh = v[size_t(i)] / (1 - std::pow(0.999, t));
            pd[size_t(i)] -= 0.01 * mh / (std::sqrt(vh) + 1e-8);
        }
    }
    EXPECT_EQ(s.step, 5);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(p[size_t(i)], pd[size_t(i)], 1e-6);
    // First step moves each parameter by about lr against its gradient's sign.
    Adam fresh(o);
    AdamSlot s2;
    std::vector<float> q{0.f}, g{-123.f};
    fresh.update(s2, q.data(), g.data(), 1);
    EXPECT_NEAR(q[0], 0.01f, 1e-6);
}

TEST(Adam, RowUpdatesAllEqualsDenseUpdateWithZeroRows) {
    const int64_t rows = 6, len = 5;
    std::vector<float> p0(size_t(rows * len));
    for (size_t i = 0; i < p0.size(); ++i) p0[i] = std::sin(float(i));
    Adam adam;
    AdamSlot dense_s, rows_s, lazy_s;
    auto pd = p0, pr = p0, pl = p0;
    for (int step = 0; step < 4; ++step) {
        // Step 0 touches rows 1 and 4; later steps touch only row 4.
        std::vector<int32_t> touched = step == 0 ? std::vector<int32_t>{1, 4} : std::vector<int32_t>{4};
        std::vector<float> g(touched.size() * len), full(size_t(rows * len), 0.f);
        for (size_t j = 0; j < touched.size(); ++j)
            for (int64_t h = 0; h < len; ++h) {
                g[j * len + size_t(h)] = 0.1f * float(h + 1) * float(j + 1);
                full[size_t(touched[j] * len + h)] = g[j * len + size_t(h)];
            }
        adam.update(dense_s, pd.data(), full.data(), rows * len);
        adam.update_rows(rows_s, pr.data(), rows, len, touched.data(), int64_t(touched.size()), g.data(), RowUpdate::All);
        adam.update_rows(lazy_s, pl.data(), rows, len, touched.data(), int64_t(touched.size()), g.data(),
                         RowUpdate::Touched);
    }
    EXPECT_EQ(pd, pr);  // bit-identical: the zero-gradient rows follow PyTorch's decay
    // Lazy: never-touched rows keep their weights; row 1 moved once only, less than under All.
    for (int64_t r : {0, 2, 3, 5})
        for (int64_t h = 0; h < len; ++h) EXPECT_EQ(pl[size_t(r * len + h)], p0[size_t(r * len + h)]);
    for (int64_t h = 0; h < len; ++h) {
        float moved_lazy = std::abs(pl[size_t(len + h)] - p0[size_t(len + h)]);
        float moved_all = std::abs(pr[size_t(len + h)] - p0[size_t(len + h)]);
        EXPECT_GT(moved_lazy, 0.f);
        EXPECT_GT(moved_all, 2 * moved_lazy);  // momentum kept moving it under PyTorch semantics
    }
    for (int64_t h = 0; h < len; ++h) EXPECT_EQ(pl[size_t(4 * len + h)], pr[size_t(4 * len + h)]);
}

}  // namespace
}  // namespace scpt::nn
