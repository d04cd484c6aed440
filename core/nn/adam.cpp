#include "core/nn/adam.hpp"

#include <algorithm>
#include <cmath>

#include "core/util/parallel.hpp"

namespace scpt::nn {
namespace {

// Per-step constants, computed in double as PyTorch does in Python, applied in float.
struct Coefs {
    float b1, omb1, b2, omb2, step_size, bc2_sqrt, eps;
};

Coefs coefs(const AdamOptions& o, int64_t step) {
    double bc1 = 1.0 - std::pow(o.beta1, double(step));
    double bc2 = 1.0 - std::pow(o.beta2, double(step));
    return {float(o.beta1), float(1.0 - o.beta1), float(o.beta2), float(1.0 - o.beta2), float(o.lr / bc1),
            float(std::sqrt(bc2)), float(o.eps)};
}

inline void step_span(const Coefs& c, float* __restrict p, float* __restrict m, float* __restrict v,
                      const float* __restrict g, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        m[i] = m[i] * c.b1 + c.omb1 * g[i];
        v[i] = v[i] * c.b2 + c.omb2 * (g[i] * g[i]);
        p[i] -= c.step_size * (m[i] / (std::sqrt(v[i]) / c.bc2_sqrt + c.eps));
    }
}

// The same with g = 0, written out so that no zero buffer is needed.
inline void decay_span(const Coefs& c, float* __restrict p, float* __restrict m, float* __restrict v, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        m[i] = m[i] * c.b1 + c.omb1 * 0.f;
        v[i] = v[i] * c.b2 + c.omb2 * 0.f;
        p[i] -= c.step_size * (m[i] / (std::sqrt(v[i]) / c.bc2_sqrt + c.eps));
    }
}

void ensure(AdamSlot& s, int64_t n) {
    if (int64_t(s.m.size()) != n) {
        s.m.assign(size_t(n), 0.f);
        s.v.assign(size_t(n), 0.f);
    }
}

}  // namespace

void Adam::update(AdamSlot& s, float* p, const float* g, int64_t n, int threads) const {
    ensure(s, n);
    const Coefs c = coefs(o_, ++s.step);
    int t = n < (1 << 16) ? 1 : threads;
    parallel_chunks(n, t, [&](int64_t b, int64_t e, int) { step_span(c, p + b, s.m.data() + b, s.v.data() + b, g + b, e - b); });
}

void Adam::update_rows(AdamSlot& s, float* p, int64_t rows, int64_t row_len, const int32_t* grad_rows,
                       int64_t n_grad_rows, const float* g, RowUpdate mode, int threads) const {
    ensure(s, rows * row_len);
    const Coefs c = coefs(o_, ++s.step);
    float* m = s.m.data();
    float* v = s.v.data();
    if (mode == RowUpdate::Touched) {
        int t = n_grad_rows * row_len < (1 << 16) ? 1 : threads;
        parallel_chunks(n_grad_rows, t, [&](int64_t b, int64_t e, int) {
            for (int64_t j = b; j < e; ++j) {
                int64_t o = int64_t(grad_rows[j]) * row_len;
                step_span(c, p + o, m + o, v + o, g + j * row_len, row_len);
            }
        });
        return;
    }
    int t = rows * row_len < (1 << 16) ? 1 : threads;
    parallel_chunks(rows, t, [&](int64_t b, int64_t e, int) {
        int64_t j = std::lower_bound(grad_rows, grad_rows + n_grad_rows, int32_t(b)) - grad_rows;
        for (int64_t r = b; r < e; ++r) {
            int64_t o = r * row_len;
            if (j < n_grad_rows && grad_rows[j] == r) {
                step_span(c, p + o, m + o, v + o, g + j * row_len, row_len);
                ++j;
            } else {
                decay_span(c, p + o, m + o, v + o, row_len);
            }
        }
    });
}

}  // namespace scpt::nn
