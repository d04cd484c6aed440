// IEEE 754 binary16 <-> binary32 conversions, portable (no F16C, no _Float16) so that the native
// build and the WebAssembly build store and read the same bits. Both are written without data-
// dependent branches (selects only) so that compilers vectorise them inside kernel loops.
#pragma once
#include <cstdint>
#include <cstring>

namespace scpt {

inline uint32_t float_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}
inline float bits_float(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// Exact for every half value. Subnormal halves are renormalised with a subtraction of normal floats
// (no denormal float arithmetic, which is slow on x86 and flushed under some wasm engines' modes).
inline float half_to_float(uint16_t h) {
    const uint32_t em = uint32_t(h & 0x7fffu) << 13;  // exponent and mantissa in float position
    const uint32_t exp = em & 0x0f800000u;
    const uint32_t normal = em + 0x38000000u;  // rebias exponent by 127 - 15
    const uint32_t infnan = em + 0x70000000u;  // exponent 31 -> 255, payload kept
    const uint32_t sub = float_bits(bits_float(em + 0x38800000u) - bits_float(0x38800000u));
    const uint32_t r = exp == 0x0f800000u ? infnan : (exp == 0 ? sub : normal);
    return bits_float(r | (uint32_t(h & 0x8000u) << 16));
}

// Round to nearest, ties to even (IEEE's default), overflow to infinity, NaN stays NaN (quiet).
inline uint16_t float_to_half(float f) {
    const uint32_t x = float_bits(f);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000u);
    const uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u)  // inf or NaN
        return uint16_t(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u | ((ax >> 13) & 0x3ffu) : 0u));
    if (ax >= 0x477ff000u) return uint16_t(sign | 0x7c00u);  // >= 65520 rounds past the largest half
    if (ax < 0x38800000u) {                                  // below 2^-14: half subnormal or zero
        if (ax <= 0x33000000u) return sign;                  // <= 2^-25 rounds to zero (tie -> even 0)
        const uint32_t e = ax >> 23;                         // 102..112
        const uint32_t m = (ax & 0x7fffffu) | 0x800000u;
        const uint32_t shift = 126 - e;                      // value in units of 2^-24 is m >> shift
        uint32_t q = m >> shift;
        const uint32_t rem = m & ((1u << shift) - 1), halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (q & 1u))) ++q;  // may carry into the smallest normal
        return uint16_t(sign | q);
    }
    const uint32_t r = ax - 0x38000000u;  // rebias; the low 13 bits are rounded off
    uint32_t q = r >> 13;
    const uint32_t rem = r & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (q & 1u))) ++q;  // a carry into the exponent is correct
    return uint16_t(sign | q);
}

}  // namespace scpt
