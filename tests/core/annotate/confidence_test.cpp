#include "core/annotate/confidence.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/util/rng.hpp"

namespace scpt::annotate {
namespace {

// Labels drawn from softmax(base / 2): logits `base` are twice too sharp, so T = 2 calibrates them.
TEST(Confidence, TemperatureScalingRecoversTheTrueTemperature) {
    Rng rng(9);
    const int64_t n = 4000, k = 4;
    nn::Matrix base(n, k);
    std::vector<int32_t> y(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t c = 0; c < k; ++c) base(i, c) = float(3 * rng.normal());
        const nn::Matrix p = softmax_temperature(base.middleRows(i, 1), 2.0);
        double u = rng.uniform(), acc = 0;
        int32_t pick = int32_t(k - 1);
        for (int64_t c = 0; c < k; ++c) {
            acc += p(0, c);
            if (u < acc) {
                pick = int32_t(c);
                break;
            }
        }
        y[size_t(i)] = pick;
    }
    const double t = fit_temperature(base, y);
    EXPECT_NEAR(t, 2.0, 0.2);
    // Calibration error falls once scaled.
    auto ece_at = [&](double temp) {
        const nn::Matrix p = softmax_temperature(base, temp);
        std::vector<float> conf(static_cast<size_t>(n));
        std::vector<char> ok(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            Eigen::Index at;
            conf[size_t(i)] = p.row(i).maxCoeff(&at);
            ok[size_t(i)] = at == y[size_t(i)];
        }
        return expected_calibration_error(conf, ok);
    };
    EXPECT_LT(ece_at(t), 0.03);
    EXPECT_GT(ece_at(1.0), 0.08);
}

TEST(Confidence, PerfectlySeparatedValidationStopsAtTheBound) {
    nn::Matrix logits(3, 2);
    logits << 5, 0, 0, 5, 6, 1;
    TemperatureOptions o;
    const double t = fit_temperature(logits, {0, 1, 0}, o);
    EXPECT_NEAR(t, o.min_t, 1e-3);
    EXPECT_EQ(fit_temperature(nn::Matrix(0, 2), {}), 1.0);
    const nn::Matrix p = softmax_temperature(logits, 1.0);
    EXPECT_NEAR(p(0, 0), 1.0 / (1.0 + std::exp(-5.0)), 1e-6);
}

}  // namespace
}  // namespace scpt::annotate
