#include "core/model/quantize.hpp"

#include <algorithm>
#include <cmath>

#include "core/model/half.hpp"
#include "core/util/error.hpp"

namespace scpt {
namespace {

// q8: one scale per gene row, max|w| / 127 over the row, so no weight is clipped (the large
// weights of marker genes matter most). Per gene rather than per hidden unit: weights differ in
// size far more between genes (rarely vs broadly expressed, markers) than between hidden units,
// and one scale per hidden unit spread over ~20,000 genes left most weights at 0 or +-1 (measured:
// 10x the output error of per-gene scales, see tests/core/model/quantize_test.cpp).
void to_q8(const EncoderWeights& w, EncoderWeights& out) {
    const size_t G = size_t(w.genes), H = size_t(w.hidden);
    out.q8_scale.resize(G);
    out.q8.resize(G * H);
    for (size_t g = 0; g < G; ++g) {
        const float* row = &w.f32[g * H];
        float amax = 0.f;
        for (size_t j = 0; j < H; ++j) amax = std::max(amax, std::fabs(row[j]));
        const float s = amax / 127.f;
        out.q8_scale[g] = s;
        for (size_t j = 0; j < H; ++j) {
            const float q = s > 0 ? std::nearbyint(row[j] / s) : 0.f;
            out.q8[g * H + j] = int8_t(std::clamp(q, -127.f, 127.f));
        }
    }
}

// One q4 block: n real weights (n <= 32). Tries scales max|w| / m for m spread over [6.5, 9] and
// refits each by least squares for its rounded integers, keeping the smallest squared error.
float q4_block(const float* v, int n, int8_t* q, int candidates) {
    float amax = 0.f;
    for (int i = 0; i < n; ++i) amax = std::max(amax, std::fabs(v[i]));
    if (amax == 0.f) {
        std::fill(q, q + n, int8_t(0));
        return 0.f;
    }
    int8_t trial[32];
    double best_err = INFINITY;
    float best_scale = 0.f;
    // Candidate 0 is the plain max|w| / 7, so the search is never worse than no search.
    for (int c = 0; c < std::max(1, candidates); ++c) {
        const double m = c == 0 ? 7.0 : 6.5 + 2.5 * (c - 1) / std::max(1, candidates - 2);
        const double d = amax / m;
        double wq = 0, qq = 0;
        for (int i = 0; i < n; ++i) {
            trial[i] = int8_t(std::clamp(std::nearbyint(v[i] / d), -8.0, 7.0));
            wq += double(v[i]) * trial[i];
            qq += double(trial[i]) * trial[i];
        }
        if (qq == 0) continue;
        const float scale = float(wq / qq);
        double err = 0;
        for (int i = 0; i < n; ++i) {
            const double e = double(v[i]) - double(scale) * trial[i];
            err += e * e;
        }
        if (err < best_err) {
            best_err = err;
            best_scale = scale;
            std::copy(trial, trial + n, q);
        }
    }
    if (best_err == INFINITY) std::fill(q, q + n, int8_t(0));
    return best_scale;
}

void to_q4(const EncoderWeights& w, EncoderWeights& out, int candidates) {
    const int64_t G = w.genes, H = w.hidden, B = q4_blocks(H), row_bytes = q4_row_bytes(H);
    out.q4.assign(size_t(G * row_bytes), uint8_t(0x88));  // pad weights stay 8 (q = 0)
    out.q4_scale.resize(size_t(G * B));
    int8_t q[32];
    for (int64_t g = 0; g < G; ++g)
        for (int64_t b = 0; b < B; ++b) {
            const int n = int(std::min<int64_t>(kQ4Block, H - b * kQ4Block));
            out.q4_scale[size_t(g * B + b)] = q4_block(&w.f32[size_t(g * H + b * kQ4Block)], n, q, candidates);
            std::fill(q + n, q + 32, int8_t(0));
            uint8_t* dst = &out.q4[size_t(g * row_bytes + b * 16)];
            for (int t = 0; t < 16; ++t) dst[t] = uint8_t((q[t] + 8) | ((q[t + 16] + 8) << 4));
        }
}

}  // namespace

EncoderWeights quantize(const EncoderWeights& w, DType to, const QuantizeOptions& options) {
    if (w.dtype != DType::F32)
        throw InputError(std::string("the encoder is already ") + dtype_name(w.dtype) +
                         ": quantize from the f32 model (quantizing twice adds the errors)");
    w.validate("model");
    EncoderWeights out;
    out.genes = w.genes;
    out.hidden = w.hidden;
    out.dtype = to;
    out.bias = w.bias;
    switch (to) {
        case DType::F32: out.f32 = w.f32; break;
        case DType::F16:
            out.f16.resize(w.f32.size());
            for (size_t i = 0; i < w.f32.size(); ++i) {
                if (std::fabs(w.f32[i]) >= 65520.f)
                    throw InputError("an encoder weight (" + std::to_string(w.f32[i]) + ") is too large for f16");
                out.f16[i] = float_to_half(w.f32[i]);
            }
            break;
        case DType::Q8: to_q8(w, out); break;
        case DType::Q4: to_q4(w, out, options.q4_candidates); break;
    }
    return out;
}

float weight_at(const EncoderWeights& w, int64_t g, int64_t j) {
    const size_t i = size_t(g * w.hidden + j);
    switch (w.dtype) {
        case DType::F32: return w.f32[i];
        case DType::F16: return half_to_float(w.f16[i]);
        case DType::Q8: return w.q8_scale[size_t(g)] * float(w.q8[i]);
        case DType::Q4: {
            const int64_t b = j / kQ4Block, t = j % kQ4Block;
            const uint8_t byte = w.q4[size_t(g * q4_row_bytes(w.hidden) + b * 16 + t % 16)];
            const int nib = t < 16 ? (byte & 15) : (byte >> 4);
            return w.q4_scale[size_t(g * q4_blocks(w.hidden) + b)] * float(nib - 8);
        }
    }
    return 0.f;
}

EncoderWeights dequantize(const EncoderWeights& w) {
    EncoderWeights out;
    out.genes = w.genes;
    out.hidden = w.hidden;
    out.dtype = DType::F32;
    out.bias = w.bias;
    if (w.dtype == DType::F32) {
        out.f32 = w.f32;
        return out;
    }
    out.f32.resize(size_t(w.genes * w.hidden));
    for (int64_t g = 0; g < w.genes; ++g)
        for (int64_t j = 0; j < w.hidden; ++j) out.f32[size_t(g * w.hidden + j)] = weight_at(w, g, j);
    return out;
}

}  // namespace scpt
