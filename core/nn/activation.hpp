// The logistic sigmoid used after the encoder and the first fine-tuning layer, and its backward.
#pragma once
#include <cmath>
#include <cstdint>

#include "core/nn/tensor.hpp"

namespace scpt::nn {

// 1 / (1 + exp(-z)): for very negative z, exp(-z) overflows to +inf and the result is exactly 0,
// never NaN, so no branch is needed.
inline float sigmoid(float z) { return 1.f / (1.f + std::exp(-z)); }

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
    for (int64_t i = 0; i < n; ++i) d[i] *= hp[i] * (1.f - hp[i]);
}

}  // namespace scpt::nn
