// Finite-difference checks of every trained layer, through the whole fine-tuning network
// (sparse encoder -> sigmoid -> Linear -> sigmoid -> Linear -> softmax cross-entropy): the analytic
// float gradients must match central differences of an independent double-precision model.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/nn/activation.hpp"
#include "core/nn/linear.hpp"
#include "core/nn/softmax_xent.hpp"
#include "core/nn/sparse_linear.hpp"
#include "tests/core/nn/random_csr.hpp"

namespace scpt::nn {
namespace {

constexpr int64_t kCells = 9, kGenes = 14, kHid = 7, kH1 = 5, kClasses = 4;

// All parameters as doubles, in a flat vector: encoder W (gene-major), b0, fc1 W (out x in), b1, fc2 W, b2.
struct Layout {
    int64_t w0 = 0, b0 = w0 + kGenes * kHid, w1 = b0 + kHid, b1 = w1 + kH1 * kHid, w2 = b1 + kH1,
            b2 = w2 + kClasses * kH1, size = b2 + kClasses;
};

double sig(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Mean cross-entropy of the network in double, written with plain loops (no shared code).
double reference_loss(const std::vector<double>& p, const std::vector<double>& x, const std::vector<int32_t>& y) {
    Layout L;
    double total = 0;
    for (int64_t r = 0; r < kCells; ++r) {
        double h0[kHid], h1[kH1], o[kClasses];
        for (int64_t j = 0; j < kHid; ++j) {
            double z = p[size_t(L.b0 + j)];
            for (int64_t g = 0; g < kGenes; ++g) z += x[size_t(r * kGenes + g)] * p[size_t(L.w0 + g * kHid + j)];
            h0[j] = sig(z);
        }
        for (int64_t i = 0; i < kH1; ++i) {
            double z = p[size_t(L.b1 + i)];
            for (int64_t j = 0; j < kHid; ++j) z += p[size_t(L.w1 + i * kHid + j)] * h0[j];
            h1[i] = sig(z);
        }
        double mx = -1e300;
        for (int64_t c = 0; c < kClasses; ++c) {
            double z = p[size_t(L.b2 + c)];
            for (int64_t i = 0; i < kH1; ++i) z += p[size_t(L.w2 + c * kH1 + i)] * h1[i];
            o[c] = z;
            mx = std::max(mx, z);
        }
        double s = 0;
        for (int64_t c = 0; c < kClasses; ++c) s += std::exp(o[c] - mx);
        total += std::log(s) + mx - o[y[size_t(r)]];
    }
    return total / kCells;
}

TEST(GradientCheck, FineTuneNetworkMatchesFiniteDifferences) {
    auto m = test::random_csr(kCells, kGenes, 0.35, 11);
    std::vector<int32_t> y{0, 1, 2, 3, 0, 1, 2, 3, 1};
    Rng rng(12);
    SparseLinear enc;
    enc.init(kGenes, kHid, rng);
    Linear fc1, fc2;
    fc1.init(kHid, kH1, rng);
    fc2.init(kH1, kClasses, rng);
    // Larger weights than the init so that the sigmoids leave their linear region.
    for (auto& w : enc.weight) w *= 6;
    fc1.weight *= 3;
    fc2.weight *= 3;

    // Analytic gradients.
    SparseBatch b;
    b.reset(kGenes);
    b.append_range(m.csr(), 0, kCells);
    b.finalize();
    Matrix h0, h1, o, d_o, d_h1, d_h0;
    enc.forward(b, h0, 1);
    sigmoid_inplace(h0);
    fc1.forward(h0, h1);
    sigmoid_inplace(h1);
    fc2.forward(h1, o);
    double loss = softmax_cross_entropy(o, y.data(), d_o);
    LinearGrad g2, g1;
    fc2.backward(h1, d_o, g2, &d_h1);
    sigmoid_backward_inplace(h1, d_h1);
    fc1.backward(h0, d_h1, g1, &d_h0);
    sigmoid_backward_inplace(h0, d_h0);
    SparseGrad g0;
    enc.backward(b, d_h0, g0, 1);

    Layout L;
    std::vector<double> p(size_t(L.size)), analytic(size_t(L.size), 0.0);
    for (int64_t i = 0; i < kGenes * kHid; ++i) p[size_t(L.w0 + i)] = enc.weight[size_t(i)];
    for (int64_t j = 0; j < kHid; ++j) p[size_t(L.b0 + j)] = enc.bias[size_t(j)];
    for (int64_t i = 0; i < kH1 * kHid; ++i) p[size_t(L.w1 + i)] = fc1.weight.data()[i];
    for (int64_t i = 0; i < kH1; ++i) p[size_t(L.b1 + i)] = fc1.bias(i);
    for (int64_t i = 0; i < kClasses * kH1; ++i) p[size_t(L.w2 + i)] = fc2.weight.data()[i];
    for (int64_t i = 0; i < kClasses; ++i) p[size_t(L.b2 + i)] = fc2.bias(i);
    for (size_t j = 0; j < g0.rows.size(); ++j)
        for (int64_t h = 0; h < kHid; ++h) analytic[size_t(L.w0 + g0.rows[j] * kHid + h)] = g0.w(int64_t(j), h);
    for (int64_t j = 0; j < kHid; ++j) analytic[size_t(L.b0 + j)] = g0.bias(j);
    for (int64_t i = 0; i < kH1 * kHid; ++i) analytic[size_t(L.w1 + i)] = g1.w.data()[i];
    for (int64_t i = 0; i < kH1; ++i) analytic[size_t(L.b1 + i)] = g1.b(i);
    for (int64_t i = 0; i < kClasses * kH1; ++i) analytic[size_t(L.w2 + i)] = g2.w.data()[i];
    for (int64_t i = 0; i < kClasses; ++i) analytic[size_t(L.b2 + i)] = g2.b(i);

    auto x = m.dense();
    EXPECT_NEAR(loss, reference_loss(p, x, y), 1e-5);
    double max_abs = 0;
    for (int64_t i = 0; i < L.size; ++i) {
        const double h = 1e-6;
        auto q = p;
        q[size_t(i)] = p[size_t(i)] + h;
        double up = reference_loss(q, x, y);
        q[size_t(i)] = p[size_t(i)] - h;
        double down = reference_loss(q, x, y);
        double fd = (up - down) / (2 * h);
        max_abs = std::max(max_abs, std::abs(fd));
        EXPECT_NEAR(analytic[size_t(i)], fd, 2e-6 + 1e-3 * std::abs(fd)) << "parameter " << i;
    }
    EXPECT_GT(max_abs, 1e-2);  // the check is not vacuous
}

TEST(SoftmaxCrossEntropy, WeightedFormMatchesFiniteDifferences) {
    Matrix logits = Matrix::Random(5, 3) * 3;
    std::vector<int32_t> y{0, 2, 2, 1, 0};
    std::vector<float> w{0.5f, 3.f, 1.25f};
    auto ref = [&](const Matrix& l) {  // sum_r w[y_r] * nll_r / sum_r w[y_r], in double
        double num = 0, den = 0;
        for (int64_t r = 0; r < 5; ++r) {
            double mx = l.row(r).maxCoeff(), s = 0;
            for (int64_t c = 0; c < 3; ++c) s += std::exp(double(l(r, c)) - mx);
            num += w[size_t(y[size_t(r)])] * (std::log(s) + mx - l(r, y[size_t(r)]));
            den += w[size_t(y[size_t(r)])];
        }
        return num / den;
    };
    Matrix d;
    double loss = softmax_cross_entropy(logits, y.data(), d, w.data());
    EXPECT_NEAR(loss, ref(logits), 1e-5);
    for (int64_t i = 0; i < logits.size(); ++i) {
        Matrix up = logits, down = logits;
        up.data()[i] += 1e-2f;
        down.data()[i] -= 1e-2f;
        double fd = (ref(up) - ref(down)) / (double(up.data()[i]) - double(down.data()[i]));
        EXPECT_NEAR(d.data()[i], fd, 1e-4) << i;
    }
    // Unit weights give the plain mean.
    std::vector<float> ones(3, 1.f);
    Matrix d1, d2;
    EXPECT_EQ(softmax_cross_entropy(logits, y.data(), d1, ones.data()), softmax_cross_entropy(logits, y.data(), d2));
    EXPECT_TRUE(d1 == d2);
}

TEST(SoftmaxCrossEntropy, StableForHugeLogitsAndGradientRowsSumToZero) {
    Matrix logits(3, 3);
    logits << 1000.f, -1000.f, 0.f, -5e4f, -5e4f, -5e4f, 88.f, 89.f, 90.f;
    std::vector<int32_t> y{1, 0, 2};
    Matrix d;
    double loss = softmax_cross_entropy(logits, y.data(), d);
    ASSERT_TRUE(std::isfinite(loss));
    // Row 0: -log softmax = 2000 (label -1000 vs max 1000); row 1: log 3; row 2: log(1+e^-1+e^-2).
    double expect = (2000.0 + std::log(3.0) + std::log(1 + std::exp(-1.0) + std::exp(-2.0))) / 3;
    EXPECT_NEAR(loss, expect, 1e-3);
    for (int64_t r = 0; r < 3; ++r) EXPECT_NEAR(d.row(r).sum(), 0.f, 1e-6);
    Matrix p;
    softmax_rows(logits, p);
    EXPECT_NEAR(p(1, 0), 1.0 / 3, 1e-6);
    EXPECT_EQ(p(0, 1), 0.f);
}

TEST(Sigmoid, SaturatesWithoutNaN) {
    Matrix z(1, 4);
    z << -1e4f, -90.f, 0.f, 1e4f;
    sigmoid_inplace(z);
    EXPECT_EQ(z(0, 0), 0.f);
    EXPECT_GE(z(0, 1), 0.f);
    EXPECT_EQ(z(0, 2), 0.5f);
    EXPECT_EQ(z(0, 3), 1.f);
}

}  // namespace
}  // namespace scpt::nn
