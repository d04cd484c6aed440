// Inner loops of the encoder (internal to encode.cpp): acc[j] += x * w[row][j] over rows of any
// weight type, kLanes outputs at a time.
//
// The arithmetic is written once with GCC/Clang vector extensions (vector_size), which both compilers
// lower to the target's SIMD. Only the DECODING of stored weights into float vectors is per target,
// because compilers widen int8/u8/f16 lanes badly on their own (GCC 12 and Emscripten's clang 14
// both went lane by lane, 4-10x slower, measured):
//   - AVX2 (native -march=native on x86): 8 lanes, vpmovsxbd + vcvtdq2ps, F16C's vcvtph2ps;
//   - wasm SIMD (-msimd128): 4 lanes, i8 -> i16 -> i32 extends, f16 by bit operations;
//   - anything else: 4 lanes, decoded by scalar loops (correct, slower).
// All paths compute the same values: decoding is exact, and the order of the float operations per
// output is the same on every path except for the lane count of the tail loop (H % kLanes).
#pragma once
#include <cstdint>
#include <cstring>

#include "core/model/half.hpp"
#if defined(__AVX2__)
#include <immintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace scpt::kernel {

#if defined(__AVX2__)
constexpr int kLanes = 8;
#else
constexpr int kLanes = 4;
#endif
typedef float fvec __attribute__((vector_size(4 * kLanes)));
typedef uint32_t uvec __attribute__((vector_size(4 * kLanes)));

// Unaligned loads and stores through memcpy: one vector move, no alignment or aliasing rule broken.
inline fvec load(const float* p) {
    fvec v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(float* p, fvec v) { std::memcpy(p, &v, sizeof v); }
template <class To, class From>
inline To bit_cast(const From& f) {
    static_assert(sizeof(To) == sizeof(From), "same size");
    To t;
    std::memcpy(&t, &f, sizeof t);
    return t;
}

// half_to_float (half.hpp) on kLanes lanes holding the 16-bit halves in their low bits.
inline fvec halves_to_floats(uvec h) {
    const uvec em = (h & 0x7fffu) << 13;
    const uvec exp = em & 0x0f800000u;
    const uvec normal = em + 0x38000000u;
    const uvec infnan = em + 0x70000000u;
    const uvec sub = bit_cast<uvec>(bit_cast<fvec>(uvec(em + 0x38800000u)) - 6.103515625e-05f);  // minus 2^-14
    const uvec is_inf = uvec(exp == 0x0f800000u), is_zero = uvec(exp == 0u);
    const uvec r = (is_inf & infnan) | (~is_inf & ((is_zero & sub) | (~is_zero & normal)));
    return bit_cast<fvec>(uvec(r | ((h & 0x8000u) << 16)));
}

// Decoders: kLanes stored weights from p as floats, before any scale.
inline fvec decode(const float* p) { return load(p); }

#if defined(__AVX2__)

inline fvec decode(const int8_t* p) {
    return bit_cast<fvec>(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)))));
}
inline fvec decode(const uint16_t* p) {
#if defined(__F16C__)
    return bit_cast<fvec>(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
#else
    return halves_to_floats(bit_cast<uvec>(_mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)))));
#endif
}
// A q4 block (16 bytes: low nibbles = weights 0..15, high nibbles = 16..31, each stored as q + 8)
// as 32 floats q in 32 / kLanes vectors, in weight order.
inline void decode_q4(const uint8_t* p, fvec* out) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i m = _mm_set1_epi8(15), eight = _mm_set1_epi8(8);
    const __m128i lo = _mm_sub_epi8(_mm_and_si128(b, m), eight);
    const __m128i hi = _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(b, 4), m), eight);
    out[0] = bit_cast<fvec>(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo)));
    out[1] = bit_cast<fvec>(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo, 8))));
    out[2] = bit_cast<fvec>(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi)));
    out[3] = bit_cast<fvec>(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi, 8))));
}

#elif defined(__wasm_simd128__)

// Small integers to floats without a signed conversion: 0x4B000000 | u is the float 2^23 + u for
// u < 2^23, so subtracting 2^23 + offset gives u - offset exactly. (clang 14 folds sign extension
// followed by f32x4.convert_i32x4_s into one conversion from 16-bit lanes, which wasm lacks, and
// then converts lane by lane: 5x slower.)
inline fvec small_u32_to_float(v128_t u, float offset) {
    const v128_t f = wasm_v128_or(u, wasm_i32x4_splat(0x4B000000));
    return bit_cast<fvec>(wasm_f32x4_sub(f, wasm_f32x4_splat(8388608.f + offset)));
}
inline fvec decode(const int8_t* p) {  // q + 128 as an unsigned byte, then back
    const v128_t b = wasm_v128_xor(wasm_v128_load32_zero(p), wasm_i8x16_splat(-128));
    return small_u32_to_float(wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(b)), 128.f);
}
inline fvec decode(const uint16_t* p) {
    return halves_to_floats(bit_cast<uvec>(wasm_u32x4_extend_low_u16x8(wasm_v128_load64_zero(p))));
}
inline void decode_q4(const uint8_t* p, fvec* out) {
    const v128_t b = wasm_v128_load(p);
    const v128_t h[2] = {wasm_v128_and(b, wasm_i8x16_splat(15)), wasm_u8x16_shr(b, 4)};
    for (int k = 0; k < 2; ++k) {
        const v128_t w0 = wasm_u16x8_extend_low_u8x16(h[k]), w1 = wasm_u16x8_extend_high_u8x16(h[k]);
        out[4 * k + 0] = small_u32_to_float(wasm_u32x4_extend_low_u16x8(w0), 8.f);
        out[4 * k + 1] = small_u32_to_float(wasm_u32x4_extend_high_u16x8(w0), 8.f);
        out[4 * k + 2] = small_u32_to_float(wasm_u32x4_extend_low_u16x8(w1), 8.f);
        out[4 * k + 3] = small_u32_to_float(wasm_u32x4_extend_high_u16x8(w1), 8.f);
    }
}

#else

inline fvec decode(const int8_t* p) {
    float f[kLanes];
    for (int t = 0; t < kLanes; ++t) f[t] = float(p[t]);
    return load(f);
}
inline fvec decode(const uint16_t* p) {
    float f[kLanes];
    for (int t = 0; t < kLanes; ++t) f[t] = half_to_float(p[t]);
    return load(f);
}
inline void decode_q4(const uint8_t* p, fvec* out) {
    float f[32];
    for (int t = 0; t < 16; ++t) {
        f[t] = float((p[t] & 15) - 8);
        f[t + 16] = float((p[t] >> 4) - 8);
    }
    for (int k = 0; k < 32 / kLanes; ++k) out[k] = load(f + kLanes * k);
}

#endif

inline float decode1(float v) { return v; }
inline float decode1(int8_t v) { return float(v); }
inline float decode1(uint16_t v) { return half_to_float(v); }

// acc[0, n) += x0 * r0 + x1 * r1 + x2 * r2 + x3 * r3: one pass over acc for four stored values.
template <class T>
inline void axpy4(float* acc, int64_t n, const T* r0, const T* r1, const T* r2, const T* r3, float x0, float x1,
                  float x2, float x3) {
    int64_t j = 0;
    for (; j + kLanes <= n; j += kLanes)
        store(acc + j, load(acc + j) + ((x0 * decode(r0 + j) + x1 * decode(r1 + j)) +
                                        (x2 * decode(r2 + j) + x3 * decode(r3 + j))));
    for (; j < n; ++j)
        acc[j] += (x0 * decode1(r0[j]) + x1 * decode1(r1[j])) + (x2 * decode1(r2[j]) + x3 * decode1(r3[j]));
}

template <class T>
inline void axpy1(float* acc, int64_t n, const T* r0, float x0) {
    int64_t j = 0;
    for (; j + kLanes <= n; j += kLanes) store(acc + j, load(acc + j) + x0 * decode(r0 + j));
    for (; j < n; ++j) acc[j] += x0 * decode1(r0[j]);
}

// acc[0, 32) += sum_i xs[i] * block_i for `rows` q4 blocks, xs[i] = the cell's value times the
// block's scale.
template <int rows>
inline void q4_block(float* a, const uint8_t* const* p, const float* xs) {
    constexpr int V = 32 / kLanes;
    fvec acc[V], d[V];
    for (int k = 0; k < V; ++k) acc[k] = load(a + kLanes * k);
    for (int i = 0; i < rows; ++i) {
        decode_q4(p[i], d);
        for (int k = 0; k < V; ++k) acc[k] += xs[i] * d[k];
    }
    for (int k = 0; k < V; ++k) store(a + kLanes * k, acc[k]);
}

}  // namespace scpt::kernel
