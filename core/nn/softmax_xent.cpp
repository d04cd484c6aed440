#include "core/nn/softmax_xent.hpp"

#include <cmath>
#include <stdexcept>

namespace scpt::nn {

double softmax_cross_entropy(const Matrix& logits, const int32_t* labels, Matrix& dlogits) {
    return softmax_cross_entropy(logits, labels, dlogits, nullptr);
}

double softmax_cross_entropy(const Matrix& logits, const int32_t* labels, Matrix& dlogits,
                             const float* class_weights) {
    const int64_t n = logits.rows(), k = logits.cols();
    dlogits.resize(n, k);
    if (n == 0) return 0.0;
    if (k == 0) throw std::logic_error("softmax_cross_entropy: no classes");
    double wsum = 0;
    for (int64_t r = 0; r < n; ++r) {
        if (labels[r] < 0 || labels[r] >= k) throw std::logic_error("softmax_cross_entropy: label out of range");
        wsum += class_weights ? double(class_weights[labels[r]]) : 1.0;
    }
    const float inv_n = float(1.0 / wsum);
    double total = 0;
    for (int64_t r = 0; r < n; ++r) {
        const float* l = logits.data() + r * k;
        float* d = dlogits.data() + r * k;
        const int32_t y = labels[r];
        float mx = l[0];
        for (int64_t c = 1; c < k; ++c) mx = std::max(mx, l[c]);
        double sum = 0;
        for (int64_t c = 0; c < k; ++c) {
            d[c] = std::exp(l[c] - mx);
            sum += d[c];
        }
        const float w = class_weights ? class_weights[y] : 1.f;
        total += double(w) * (std::log(sum) + double(mx) - double(l[y]));
        const float scale = float(1.0 / sum) * inv_n * w;
        for (int64_t c = 0; c < k; ++c) d[c] *= scale;
        d[y] -= inv_n * w;
    }
    return total / wsum;
}

void softmax_rows(const Matrix& logits, Matrix& probs) {
    const int64_t n = logits.rows(), k = logits.cols();
    probs.resize(n, k);
    if (k == 0) return;
    for (int64_t r = 0; r < n; ++r) {
        const float* l = logits.data() + r * k;
        float* p = probs.data() + r * k;
        float mx = l[0];
        for (int64_t c = 1; c < k; ++c) mx = std::max(mx, l[c]);
        double sum = 0;
        for (int64_t c = 0; c < k; ++c) {
            p[c] = std::exp(l[c] - mx);
            sum += p[c];
        }
        const float inv = float(1.0 / sum);
        for (int64_t c = 0; c < k; ++c) p[c] *= inv;
    }
}

}  // namespace scpt::nn
