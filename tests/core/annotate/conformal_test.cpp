#include "core/annotate/conformal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/util/rng.hpp"

namespace scpt::annotate {
namespace {

// Log-normal scores, as typicality's normalised distances roughly are.
std::vector<float> lognormal(int64_t n, Rng& rng) {
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v) x = float(std::exp(0.5 * rng.normal()));
    return v;
}

ConformalTail calibrated(int64_t n, Rng& rng) {
    auto v = lognormal(n, rng);
    std::sort(v.begin(), v.end());
    return ConformalTail(std::move(v));
}

double plain(const std::vector<float>& sorted, float s) {
    const auto ge = std::count_if(sorted.begin(), sorted.end(), [&](float x) { return x >= s; });
    return double(1 + ge) / double(1 + sorted.size());
}

TEST(ConformalTail, UpToTheLargestScoreIsThePlainConformalPValue) {
    Rng rng(1);
    const auto t = calibrated(60, rng);
    for (float s : {0.f, 0.5f, 1.f, 1.5f, t.scores()[30], t.scores().back()})
        EXPECT_DOUBLE_EQ(t.p_value(s), plain(t.scores(), s)) << s;
}

TEST(ConformalTail, BeyondTheLargestScoreFallsBelowTheConformalFloor) {
    Rng rng(2);
    const auto t = calibrated(60, rng);
    ASSERT_GT(t.tail_scale(), 0);
    const float top = t.scores().back();
    const double floor = 1.0 / 61;
    double last = floor;
    for (float f : {1.01f, 1.2f, 2.f, 5.f, 30.f}) {
        const double p = t.p_value(top * f);
        EXPECT_LT(p, last) << f;  // strictly decreasing
        last = p;
    }
    // Without the tail no score could fall below 1/61 > 0.01: 30 times the largest one now does.
    EXPECT_LT(t.p_value(top * 30), 0.001);
}

// The point of the p-value: a fresh score from the calibration's own distribution is below alpha
// about alpha of the time, also where the tail is extrapolated (60 calibration scores, alpha 0.01).
TEST(ConformalTail, StaysCalibratedForScoresOfTheSameKind) {
    Rng rng(3);
    int64_t below = 0, total = 0;
    for (int rep = 0; rep < 400; ++rep) {
        const auto t = calibrated(60, rng);
        for (float s : lognormal(50, rng)) {
            below += t.p_value(s) < 0.01;
            ++total;
        }
    }
    const double rate = double(below) / double(total);
    EXPECT_LT(rate, 0.015);
    EXPECT_GT(rate, 0.001);  // and it does reject: the plain p-value never would with 60 scores
}

TEST(ConformalTail, TooFewOrTiedScoresKeepTheFloor) {
    ConformalTail few({0.5f, 0.6f, 0.7f, 0.8f, 0.9f});
    EXPECT_EQ(few.tail_scale(), 0);
    EXPECT_DOUBLE_EQ(few.p_value(100.f), 1.0 / 6);
    ConformalTail tied(std::vector<float>(40, 1.f));
    EXPECT_EQ(tied.tail_scale(), 0);
    EXPECT_DOUBLE_EQ(tied.p_value(100.f), 1.0 / 41);
    ConformalTail none;
    EXPECT_DOUBLE_EQ(none.p_value(1.f), 1.0);
}

TEST(ConformalTail, RefusesUnsortedScores) {
    EXPECT_THROW(ConformalTail({2.f, 1.f}), std::invalid_argument);
}

}  // namespace
}  // namespace scpt::annotate
