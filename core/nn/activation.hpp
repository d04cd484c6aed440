// The logistic sigmoid used after the encoder and the first fine-tuning layer, and its backward.
#pragma once
#include <cmath>
#include <cstdint>

#include "core/nn/tensor.hpp"

namespace scpt::nn {

// Values below this are set to 0: they are far below anything that matters (|h| <= 1 and
// gradients of a mean loss), and left alone they turn into denormals that slow every later
// operation on them ~100x (on x86 without FTZ, and in wasm).
constexpr float kFlushBelow = 1e-30f;

// 1 / (1 + exp(-z)); for very negative z, exp(-z) overflows to +inf and the result is 0, never NaN.
inline float sigmoid(float z) {
    float h = 1.f / (1.f + std::exp(-z));
    return h < kFlushBelow ? 0.f : h;
}

inline void sigmoid_inplace(Matrix& z) {
    float* p = z.data();
    const int64_t n = z.size();
    for (int64_t i = 0; i < n; ++i) p[i] = sigmoid(p[i]);
}

// Given h = sigmoid(z) and dL/dh, turns dh into dL/dz = dh * h * (1 - h) in place.
inline void sigmoid_backward_inplace(const Matrix& h, Matrix& dh) {
    const float* hp = h.data();
    float* d = dh.data();
    const int64_t n = h.size();
    for (int64_t i = 0; i < n; ++i) {
        float v = d[i] * (hp[i] * (1.f - hp[i]));
        d[i] = std::abs(v) < kFlushBelow ? 0.f : v;
    }
}

}  // namespace scpt::nn
