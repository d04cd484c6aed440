// The fine-tuned scPretrain classifier: sigmoid(encoder) -> Linear(hidden, h1) -> sigmoid ->
// Linear(h1, classes), over the genes of the dataset it was trained on (its own gene space).
// Predicts class probabilities for new cells given in that gene space with the same transform.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model.hpp"
#include "core/nn/linear.hpp"
#include "core/nn/sparse_batch.hpp"
#include "core/nn/sparse_linear.hpp"

namespace scpt::train {

class Classifier {
public:
    nn::SparseLinear encoder;  // dataset genes x hidden, gene-major
    nn::Linear fc1;            // hidden -> h1
    nn::Linear fc2;            // h1 -> classes

    int64_t genes() const { return encoder.in; }
    int64_t hidden() const { return encoder.out; }
    int64_t classes() const { return fc2.out(); }

    // H = sigmoid(x W + b), cells x hidden: the encoder's representation of the cells.
    nn::Matrix embed(const nn::CsrRef& x, int threads = 1) const;
    // Logits of the head for embedded cells (cells x classes).
    nn::Matrix head_logits(const nn::Matrix& h) const;
    // Class probabilities, cells x classes (rows sum to 1).
    nn::Matrix predict_proba(const nn::CsrRef& x, int threads = 1) const;
    // Most probable class per cell (ties: lowest index).
    std::vector<int32_t> predict(const nn::CsrRef& x, int threads = 1) const;

    // The head (fc1, fc2) in the model file's form. Meaningful alone when the encoder is the
    // model's own (fine-tuning mode Head), so that it can ride along in the model file.
    ReferenceClassifier reference_head(std::string name, std::vector<std::string> class_names) const;
};

// Index of the largest value in each row (ties: lowest index).
std::vector<int32_t> argmax_rows(const nn::Matrix& m);

}  // namespace scpt::train
