// A dense nn.Linear(in, out): y = x W^T + b, with W in PyTorch's [out][in] layout, used for the
// pre-training heads and the fine-tuning classifier. Products go through Eigen on the caller's
// thread; these layers are small next to the sparse encoder.
#pragma once
#include <cstdint>

#include "core/nn/tensor.hpp"
#include "core/util/rng.hpp"

namespace scpt::nn {

struct LinearGrad {
    Matrix w;  // out x in
    Vector b;  // out
};

struct Linear {
    Matrix weight;  // out x in
    Vector bias;    // out

    int64_t in() const { return weight.cols(); }
    int64_t out() const { return weight.rows(); }

    // PyTorch initialisation: U(-1/sqrt(in), 1/sqrt(in)) for weights and bias.
    void init(int64_t in_features, int64_t out_features, Rng& rng);

    // y (rows x out) = x (rows x in) W^T + b.
    void forward(const Matrix& x, Matrix& y) const;

    // Given the layer's input x and dL/dy: the parameter gradients, and dL/dx when dx is not null.
    void backward(const Matrix& x, const Matrix& dy, LinearGrad& grad, Matrix* dx) const;
};

}  // namespace scpt::nn
