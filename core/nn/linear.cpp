#include "core/nn/linear.hpp"

#include "core/nn/init.hpp"

namespace scpt::nn {

void Linear::init(int64_t in_features, int64_t out_features, Rng& rng) {
    weight.resize(out_features, in_features);
    bias.resize(out_features);
    float bound = linear_init_bound(in_features);
    uniform_fill(weight.data(), weight.size(), bound, rng);
    uniform_fill(bias.data(), bias.size(), bound, rng);
}

void Linear::forward(const Matrix& x, Matrix& y) const {
    y.noalias() = x * weight.transpose();
    y.rowwise() += bias.transpose();
}

void Linear::backward(const Matrix& x, const Matrix& dy, LinearGrad& grad, Matrix* dx) const {
    grad.w.noalias() = dy.transpose() * x;
    grad.b = dy.colwise().sum().transpose();
    if (dx) dx->noalias() = dy * weight;
}

}  // namespace scpt::nn
