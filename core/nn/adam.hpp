// Adam (Kingma & Ba) with PyTorch's defaults and arithmetic (torch.optim.Adam, no weight decay,
// no amsgrad): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps), all in float32.
//
// The encoder's gradient is sparse (only genes present in the batch have one). PyTorch's dense
// Adam still steps every row, letting the moments of the other rows decay and move their weights;
// update_rows() can do exactly that (RowUpdate::All), or step only the rows that have a gradient
// (RowUpdate::Touched, "lazy Adam": much less memory traffic for a large vocabulary).
#pragma once
#include <cstdint>
#include <vector>

namespace scpt::nn {

struct AdamOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

// Optimiser state of one parameter tensor.
struct AdamSlot {
    std::vector<float> m, v;
    int64_t step = 0;  // updates applied so far (PyTorch keeps one counter per parameter too)
};

enum class RowUpdate {
    All,      // PyTorch semantics: rows without a gradient step with g = 0
    Touched,  // lazy: only rows with a gradient step; the others keep weights and moments
};

class Adam {
public:
    explicit Adam(AdamOptions options = {}) : o_(options) {}
    const AdamOptions& options() const { return o_; }
    void set_lr(double lr) { o_.lr = lr; }

    // One step of p[0..n) with gradient g[0..n).
    void update(AdamSlot& s, float* p, const float* g, int64_t n, int threads = 1) const;

    // One step of a row-major [rows][row_len] parameter whose gradient is known on grad_rows
    // (ascending row ids; their gradient rows are consecutive in g, row_len floats each).
    void update_rows(AdamSlot& s, float* p, int64_t rows, int64_t row_len, const int32_t* grad_rows,
                     int64_t n_grad_rows, const float* g, RowUpdate mode, int threads = 1) const;

private:
    AdamOptions o_;
};

}  // namespace scpt::nn
