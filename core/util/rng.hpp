// A small deterministic random number generator. std:: distributions differ between standard
// libraries (libstdc++ natively, libc++ under Emscripten), so every draw the core makes goes
// through these functions to give the same numbers natively and in the browser for a seed.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

namespace scpt {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) : state_(seed) {}
    // The stream's position: Rng(r.state()) continues exactly where r is (checkpoints).
    uint64_t state() const { return state_; }

    // SplitMix64: passes BigCrush, trivially seedable, portable.
    uint64_t next_u64() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
    // Uniform integer in [0, n), without modulo bias. n must be > 0.
    uint64_t below(uint64_t n) {
        uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        uint64_t x;
        do x = next_u64(); while (x >= limit);
        return x % n;
    }
    // Standard normal by Box-Muller (no cached second value: keeps the stream simple to reason about).
    double normal() {
        double u1 = uniform();
        double u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    // An independent stream derived from this seed and a tag (per thread, per dataset, ...).
    Rng split(uint64_t tag) const { return Rng(mix(state_ ^ mix(tag + 0x632BE59BD9B4E019ull))); }

    template <class T>
    void shuffle(std::vector<T>& v) {
        for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }

private:
    static uint64_t mix(uint64_t z) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t state_;
};

}  // namespace scpt
