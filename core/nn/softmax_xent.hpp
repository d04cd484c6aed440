// Softmax cross-entropy, as F.cross_entropy(logits, labels) with mean reduction.
#pragma once
#include <cstdint>

#include "core/nn/tensor.hpp"

namespace scpt::nn {

// Returns the mean over rows of -log softmax(logits)[label] (computed with the row maximum
// subtracted, so large logits neither overflow nor lose the loss) and writes
// dlogits = (softmax - onehot) / rows, the gradient of that mean. labels[r] in [0, logits.cols()).
double softmax_cross_entropy(const Matrix& logits, const int32_t* labels, Matrix& dlogits);

// The class-weighted form (F.cross_entropy(weight=w)): sum_r w[y_r] loss_r / sum_r w[y_r], and its
// gradient. class_weights may be null (all ones, identical to the unweighted form).
double softmax_cross_entropy(const Matrix& logits, const int32_t* labels, Matrix& dlogits,
                             const float* class_weights);

// Row-wise softmax probabilities (for prediction).
void softmax_rows(const Matrix& logits, Matrix& probs);

}  // namespace scpt::nn
