// The encoder layer: Linear(genes -> hidden) applied to sparse cells, Z = X W + b, with W stored
// gene-major ([genes][hidden], the layout of EncoderWeights) so that a cell only touches the
// weight rows of its expressed genes. The backward pass yields the gradient of W only on the rows
// of genes present in the batch (every other row's gradient is exactly zero).
//
// Determinism: every output element is summed in ascending gene order and every gradient row in
// ascending batch-row order, however the work is split, so results do not depend on the thread count.
#pragma once
#include <cstdint>
#include <vector>

#include "core/nn/sparse_batch.hpp"
#include "core/nn/tensor.hpp"
#include "core/util/rng.hpp"

namespace scpt::nn {

// Gradient of a SparseLinear: rows[] are the touched genes (ascending), w holds their gradient
// rows (rows.size() x out), bias the bias gradient.
struct SparseGrad {
    std::vector<int32_t> rows;
    Matrix w;
    Vector bias;
};

struct SparseLinear {
    int64_t in = 0;             // genes
    int64_t out = 0;            // hidden units
    std::vector<float> weight;  // in x out, gene-major
    std::vector<float> bias;    // out

    // PyTorch nn.Linear(in, out) initialisation: weights and bias U(-1/sqrt(in), 1/sqrt(in)).
    void init(int64_t in_features, int64_t out_features, Rng& rng);

    const float* row(int64_t gene) const { return weight.data() + gene * out; }
    float* row(int64_t gene) { return weight.data() + gene * out; }

    // z (x.rows() x out) = x W + b. x must be finalize()d. Parallel over blocks of hidden units.
    void forward(const SparseBatch& x, Matrix& z, int threads) const;

    // Z for every row of a whole matrix, in blocks of cells (for encoding many cells at once).
    // Gives bit-identical rows to forward() on any batch containing them.
    void forward_all(const CsrRef& x, Matrix& z, int threads) const;

    // Given dL/dZ for the batch, the gradient of W on the batch's genes and of b.
    void backward(const SparseBatch& x, const Matrix& dz, SparseGrad& grad, int threads) const;
};

}  // namespace scpt::nn
