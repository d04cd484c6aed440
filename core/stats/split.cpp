#include "core/stats/split.hpp"

#include <algorithm>
#include <numeric>

namespace scpt {
namespace {

// MT19937 as numpy's legacy RandomState keeps it (Matsumoto & Nishimura's reference code).
class Mt19937 {
public:
    explicit Mt19937(uint32_t seed) {
        key_[0] = seed;
        for (int i = 1; i < kN; ++i) key_[i] = 1812433253u * (key_[i - 1] ^ (key_[i - 1] >> 30)) + uint32_t(i);
        pos_ = kN;
    }
    uint32_t next_u32() {
        if (pos_ == kN) regenerate();
        uint32_t y = key_[pos_++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        return y ^ (y >> 18);
    }
    uint64_t next_u64() {
        const uint64_t hi = next_u32();
        return (hi << 32) | next_u32();
    }

private:
    static constexpr int kN = 624, kM = 397;
    void regenerate() {
        constexpr uint32_t upper = 0x80000000u, lower = 0x7fffffffu, matrix = 0x9908b0dfu;
        for (int i = 0; i < kN; ++i) {
            const uint32_t y = (key_[i] & upper) | (key_[(i + 1) % kN] & lower);
            key_[i] = key_[(i + kM) % kN] ^ (y >> 1) ^ ((y & 1u) ? matrix : 0u);
        }
        pos_ = 0;
    }
    uint32_t key_[kN];
    int pos_;
};

// numpy's random_interval: a uniform integer in [0, max] by masked rejection.
uint64_t random_interval(Mt19937& g, uint64_t max) {
    if (max == 0) return 0;
    uint64_t mask = max;
    for (int s = 1; s <= 32; s *= 2) mask |= mask >> s;
    uint64_t v;
    if (max <= 0xffffffffull) {
        do v = g.next_u32() & mask; while (v > max);
    } else {
        do v = g.next_u64() & mask; while (v > max);
    }
    return v;
}

}  // namespace

std::vector<int64_t> numpy_permutation(int64_t n, uint32_t seed) {
    std::vector<int64_t> order(size_t(std::max<int64_t>(n, 0)));
    std::iota(order.begin(), order.end(), int64_t(0));
    Mt19937 g(seed);
    for (int64_t i = n - 1; i >= 1; --i) std::swap(order[size_t(i)], order[size_t(random_interval(g, uint64_t(i)))]);
    return order;
}

PaperSplit paper_split(int64_t n, uint32_t seed, const PaperSplitOptions& o) {
    PaperSplit s;
    std::vector<int64_t> order = numpy_permutation(n, seed);
    // int() in Python truncates toward zero, as the cast does for these non-negative products.
    s.train = std::min(int64_t(double(n) * o.train_fraction), o.cap);
    s.val = std::min(int64_t(double(n) * o.val_fraction), o.cap);
    const int64_t r = std::min(n, s.train + s.val);
    s.reference.assign(order.begin(), order.begin() + r);
    s.test.assign(order.begin() + r, order.end());
    return s;
}

}  // namespace scpt
