// Encoder weight quantization: f32 -> f16 / q8 / q4 (layouts in models/FORMAT.md section 4) and back.
// Quantized weights are used directly by the encoder kernel (core/model/encode.hpp); dequantize
// exists for tests, error reports and fine-tuning from a quantized model.
#pragma once
#include "core/model/model.hpp"

namespace scpt {

struct QuantizeOptions {
    // q4: candidate scales tried per block of 32 weights, keeping the one with the least squared
    // error after a least-squares refit (1 = plain max|w| / 7). More costs time, never file size.
    int q4_candidates = 24;
};

// Converts f32 weights to `to` (f32 returns a copy). Throws InputError when `w` is not f32
// (quantizing twice compounds the error: quantize from the f32 model) or when a weight does not fit
// (|w| >= 65520 in f16). Bias is copied unchanged.
EncoderWeights quantize(const EncoderWeights& w, DType to, const QuantizeOptions& options = {});

// Any dtype -> f32, exactly the values the kernel uses (scale * q for q8/q4).
EncoderWeights dequantize(const EncoderWeights& w);

// One real-valued weight (gene g, hidden unit j) of any dtype.
float weight_at(const EncoderWeights& w, int64_t g, int64_t j);

}  // namespace scpt
