#include "core/util/lookup3.hpp"

namespace scpt {

namespace {

inline uint32_t rot(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

inline void mix(uint32_t& a, uint32_t& b, uint32_t& c) {
    a -= c; a ^= rot(c, 4);  c += b;
    b -= a; b ^= rot(a, 6);  a += c;
    c -= b; c ^= rot(b, 8);  b += a;
    a -= c; a ^= rot(c, 16); c += b;
    b -= a; b ^= rot(a, 19); a += c;
    c -= b; c ^= rot(b, 4);  b += a;
}

inline void final_mix(uint32_t& a, uint32_t& b, uint32_t& c) {
    c ^= b; c -= rot(b, 14);
    a ^= c; a -= rot(c, 11);
    b ^= a; b -= rot(a, 25);
    c ^= b; c -= rot(b, 16);
    a ^= c; a -= rot(c, 4);
    b ^= a; b -= rot(a, 14);
    c ^= b; c -= rot(b, 24);
}

inline uint32_t word(const uint8_t* k, size_t n) {  // up to 4 little-endian bytes
    uint32_t w = 0;
    for (size_t i = 0; i < n && i < 4; ++i) w |= uint32_t(k[i]) << (8 * i);
    return w;
}

}  // namespace

uint32_t lookup3(const void* data, size_t length, uint32_t initval) {
    const auto* k = static_cast<const uint8_t*>(data);
    uint32_t a, b, c;
    a = b = c = 0xdeadbeefu + uint32_t(length) + initval;
    while (length > 12) {
        a += word(k, 4);
        b += word(k + 4, 4);
        c += word(k + 8, 4);
        mix(a, b, c);
        length -= 12;
        k += 12;
    }
    if (length == 0) return c;
    // The last 1-12 bytes, zero-padded (what hashlittle's fall-through switch adds).
    a += word(k, length);
    if (length > 4) b += word(k + 4, length - 4);
    if (length > 8) c += word(k + 8, length - 8);
    final_mix(a, b, c);
    return c;
}

}  // namespace scpt
