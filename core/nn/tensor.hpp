// Dense storage shared by the layers: row-major float matrices, so that each cell's activations
// are one contiguous row (the sparse encoder writes them row by row) and weights of an
// nn.Linear(in, out) keep PyTorch's [out][in] layout.
#pragma once
#include <Eigen/Core>

namespace scpt::nn {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;

}  // namespace scpt::nn
