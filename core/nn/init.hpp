// Parameter initialisation as PyTorch's nn.Linear does it: kaiming_uniform_(a = sqrt(5)) for the
// weights, which reduces to U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias.
// Draws come from scpt::Rng so a seed gives the same network natively and in the browser.
#pragma once
#include <cmath>
#include <cstdint>

#include "core/util/rng.hpp"

namespace scpt::nn {

// The bound 1/sqrt(fan_in) (0 when fan_in is 0, as PyTorch leaves such a bias at 0).
inline float linear_init_bound(int64_t fan_in) { return fan_in > 0 ? float(1.0 / std::sqrt(double(fan_in))) : 0.f; }

// Fills p[0..n) with U(-bound, bound).
inline void uniform_fill(float* p, int64_t n, float bound, Rng& rng) {
    for (int64_t i = 0; i < n; ++i) p[i] = float((2.0 * rng.uniform() - 1.0) * double(bound));
}

}  // namespace scpt::nn
