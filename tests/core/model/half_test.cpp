#include "core/model/half.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/util/rng.hpp"
#if defined(__F16C__)
#include <immintrin.h>
#endif

namespace scpt {
namespace {

TEST(Half, EveryHalfSurvivesARoundTrip) {
    for (uint32_t h = 0; h < 65536; ++h) {
        const float f = half_to_float(uint16_t(h));
        if ((h & 0x7c00u) == 0x7c00u && (h & 0x3ffu)) {
            EXPECT_TRUE(std::isnan(f)) << h;
            EXPECT_EQ(float_to_half(f) & 0x7c00u, 0x7c00u);
            continue;
        }
        EXPECT_EQ(float_to_half(f), h) << "half " << h << " -> " << f;
    }
}

TEST(Half, KnownValues) {
    EXPECT_EQ(half_to_float(0x3c00), 1.0f);
    EXPECT_EQ(half_to_float(0xc000), -2.0f);
    EXPECT_EQ(half_to_float(0x7bff), 65504.0f);
    EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
    EXPECT_EQ(half_to_float(0x0400), std::ldexp(1.0f, -14));  // smallest normal
    EXPECT_TRUE(std::isinf(half_to_float(0x7c00)));
    EXPECT_EQ(float_to_half(65519.0f), 0x7bff);  // below the midpoint to infinity
    EXPECT_EQ(float_to_half(65520.0f), 0x7c00);  // the midpoint rounds to even: infinity
    EXPECT_EQ(float_to_half(std::ldexp(1.0f, -25)), 0x0000);  // tie between 0 and the smallest subnormal
    EXPECT_EQ(float_to_half(std::ldexp(1.5f, -25)), 0x0001);
    EXPECT_EQ(float_to_half(-0.0f), 0x8000);
}

TEST(Half, TiesRoundToEven) {
    // The midpoint of two neighbouring halves goes to the one with an even mantissa.
    for (uint32_t h = 0; h < 0x7bff; h += 7) {
        const double a = half_to_float(uint16_t(h)), b = half_to_float(uint16_t(h + 1));
        const float mid = float((a + b) / 2);
        ASSERT_EQ(double(mid), (a + b) / 2);  // exactly representable in float
        EXPECT_EQ(float_to_half(mid), (h & 1) ? h + 1 : h) << h;
        EXPECT_EQ(float_to_half(std::nextafter(mid, 0.f)), h);
        EXPECT_EQ(float_to_half(std::nextafter(mid, 1e9f)), h + 1);
    }
}

#if defined(__F16C__)
TEST(Half, AgreesWithTheHardwareConversion) {
    Rng rng(1);
    for (int i = 0; i < 2000000; ++i) {
        uint32_t bits = uint32_t(rng.next_u64());
        // Half the draws in the half range, where the rounding cases are.
        if (i % 2) bits = (bits & 0x807fffffu) | ((100u + uint32_t(rng.below(45))) << 23);
        const float f = bits_float(bits);
        if (std::isnan(f)) continue;
        const uint16_t hw = uint16_t(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
        ASSERT_EQ(float_to_half(f), hw) << f;
        ASSERT_EQ(float_bits(half_to_float(hw)), float_bits(_cvtsh_ss(hw))) << hw;
    }
}
#endif

}  // namespace
}  // namespace scpt
