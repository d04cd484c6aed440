#include "core/model/quantize.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/model/encode.hpp"
#include "core/model/half.hpp"
#include "tests/core/model/model_test_util.hpp"
#include "tests/test_data.hpp"

namespace scpt {
namespace {

// Tolerances on the encoder OUTPUT (sigmoid, in [0, 1]) of a quantized model against its f32
// original, on real cells (200 PBMCs, log1p counts, ~1,900 genes each, 12,000-gene vocabulary,
// weights from test::random_encoder: pre-activations with rms ~1.5). Reasoning: a weight error of
// rms e (relative to the weight spread) moves a pre-activation by about e * rms(z), and sigmoid's
// slope is at most 1/4; the maximum over 40,000 outputs is about 4-5 rms.
//  f16: relative rounding 2^-11, e ~ 3e-4: rms output error ~1e-4. Measured max 3.3e-4, mean 4e-5.
constexpr double kF16MaxAbs = 1e-3, kF16MeanAbs = 1.5e-4;
//  q8: step = max|w| of the gene row / 127 ~ 0.022 sd, e ~ 0.0065: rms ~2e-3. Measured max 0.012,
//  mean 0.0013. (One scale per hidden unit instead of per gene measured max 0.078, mean 0.007.)
constexpr double kQ8MaxAbs = 2.5e-2, kQ8MeanAbs = 2.5e-3;
//  q4: 16 levels per block of 32, e ~ 0.09: rms ~0.025. Measured max 0.16, mean 0.018. q4 is a
//  real approximation: whether it annotates as well is for the annotation benchmarks to show.
constexpr double kQ4MaxAbs = 0.3, kQ4MeanAbs = 0.03;

struct OutputError {
    double max_abs = 0, mean_abs = 0;
};

OutputError output_error(const RowMatrix& a, const RowMatrix& b) {
    OutputError e;
    for (int64_t i = 0; i < a.size(); ++i) {
        const double d = std::fabs(double(a.data()[i]) - double(b.data()[i]));
        e.max_abs = std::max(e.max_abs, d);
        e.mean_abs += d;
    }
    e.mean_abs /= double(a.size());
    return e;
}

TEST(Quantize, OutputErrorOnRealCellsWithinTolerance) {
    SCPT_REQUIRE_DATA("pbmc5k_cite_10xv3_subset/matrix.mtx.gz");
    const CellMatrix x = test::read_log1p_mtx(test::data_path("pbmc5k_cite_10xv3_subset/matrix.mtx.gz"));
    const int64_t rows = 12000;
    const auto map = test::random_gene_map(x.n_genes, rows, 2);
    const EncoderWeights w = test::random_encoder(rows, 200, 17);
    RunControl rc;
    rc.threads = 2;
    const RowMatrix h = encode(x, map, w, {}, rc);
    struct Case {
        DType t;
        double max_abs, mean_abs;
    };
    for (Case c : {Case{DType::F16, kF16MaxAbs, kF16MeanAbs}, Case{DType::Q8, kQ8MaxAbs, kQ8MeanAbs},
                   Case{DType::Q4, kQ4MaxAbs, kQ4MeanAbs}}) {
        const OutputError e = output_error(h, encode(x, map, quantize(w, c.t), {}, rc));
        EXPECT_LT(e.max_abs, c.max_abs) << dtype_name(c.t);
        EXPECT_LT(e.mean_abs, c.mean_abs) << dtype_name(c.t);
        EXPECT_GT(e.mean_abs, 0.0) << dtype_name(c.t);  // it did quantize
        RecordProperty(std::string(dtype_name(c.t)) + "_max_abs", std::to_string(e.max_abs));
        RecordProperty(std::string(dtype_name(c.t)) + "_mean_abs", std::to_string(e.mean_abs));
    }
}

TEST(Quantize, F16IsRoundToNearest) {
    EncoderWeights w = test::random_encoder(50, 33, 1);
    EncoderWeights h = quantize(w, DType::F16);
    EncoderWeights d = dequantize(h);
    for (size_t i = 0; i < w.f32.size(); ++i) {
        EXPECT_EQ(h.f16[i], float_to_half(w.f32[i]));
        EXPECT_LE(std::fabs(d.f32[i] - w.f32[i]), std::ldexp(std::fabs(w.f32[i]), -11) + 3e-8f);
    }
    w.f32[5] = 70000.f;
    EXPECT_THROW(quantize(w, DType::F16), InputError);
}

TEST(Quantize, Q8ErrorIsAtMostHalfAStepPerGene) {
    EncoderWeights w = test::random_encoder(80, 70, 2);
    std::fill(w.f32.begin(), w.f32.begin() + 70, 0.f);  // gene 0 all zero: scale 0, no division by zero
    EncoderWeights q = quantize(w, DType::Q8);
    EXPECT_EQ(q.q8_scale[0], 0.f);
    for (int64_t g = 0; g < 80; ++g) {
        float amax = 0;
        for (int64_t j = 0; j < 70; ++j) amax = std::max(amax, std::fabs(w.f32[size_t(g * 70 + j)]));
        EXPECT_FLOAT_EQ(q.q8_scale[size_t(g)], amax / 127.f);
        for (int64_t j = 0; j < 70; ++j) {
            const float err = std::fabs(weight_at(q, g, j) - w.f32[size_t(g * 70 + j)]);
            EXPECT_LE(err, q.q8_scale[size_t(g)] * 0.5001f) << g << "," << j;
        }
    }
}

TEST(Quantize, Q4LayoutFollowsTheSpecification) {
    // One gene, hidden 40 (one full block, one block of 8 + 24 pad), weights that are exact
    // multiples of 0.5 in [-3.5, 3.5]: the plain scale 0.5 represents them with no error.
    EncoderWeights w;
    w.genes = 1;
    w.hidden = 40;
    for (int j = 0; j < 40; ++j) w.f32.push_back(0.5f * float((j * 5) % 15 - 7));
    w.bias.assign(40, 0.f);
    EncoderWeights q = quantize(w, DType::Q4);
    ASSERT_EQ(q.q4.size(), 32u);  // 2 blocks of 16 bytes
    ASSERT_EQ(q.q4_scale.size(), 2u);
    EXPECT_FLOAT_EQ(q.q4_scale[0], 0.5f);
    auto qv = [&](int j) { return (j * 5) % 15 - 7; };
    for (int t = 0; t < 16; ++t) {
        // FORMAT.md: byte t holds element t (low nibble) and t + 16 (high nibble), as q + 8.
        EXPECT_EQ(q.q4[size_t(t)], uint8_t((qv(t) + 8) | ((qv(t + 16) + 8) << 4))) << t;
        const int lo = 32 + t, hi = 48 + t;
        const int want_lo = lo < 40 ? qv(lo) : 0, want_hi = hi < 40 ? qv(hi) : 0;  // pads are q = 0
        EXPECT_EQ(int(q.q4[size_t(16 + t)] & 15) - 8, want_lo) << t;
        EXPECT_EQ(int(q.q4[size_t(16 + t)] >> 4) - 8, want_hi) << t;
    }
    EXPECT_EQ(dequantize(q).f32, w.f32);
}

TEST(Quantize, Q4ScaleSearchNeverWorseThanPlainScale) {
    EncoderWeights w = test::random_encoder(300, 200, 3);
    QuantizeOptions plain;
    plain.q4_candidates = 1;
    auto sse = [&](const EncoderWeights& q) {
        double s = 0;
        const EncoderWeights d = dequantize(q);
        for (size_t i = 0; i < w.f32.size(); ++i) s += std::pow(double(d.f32[i]) - w.f32[i], 2);
        return s;
    };
    const double searched = sse(quantize(w, DType::Q4)), simple = sse(quantize(w, DType::Q4, plain));
    EXPECT_LT(searched, simple * 0.97);  // a few percent better in squared error
}

TEST(Quantize, RefusesToQuantizeTwice) {
    EncoderWeights q = quantize(test::random_encoder(4, 8, 1), DType::Q8);
    try {
        quantize(q, DType::Q4);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("quantize from the f32 model"), std::string::npos);
    }
    EXPECT_EQ(dequantize(q).dtype, DType::F32);
}

}  // namespace
}  // namespace scpt
