// The encoder's gradient summed over the ranks of a data-parallel pre-training (pretrain.hpp,
// docs/PRETRAIN.md), in two Collective sums per step: first a flag per gene (touched by this rank's
// cells in the step) and a cancel flag; then, for the union of touched genes only (in gene order,
// the same on every rank), their gradient rows and the bias gradient. A step that sees a small part
// of the vocabulary sends that part; at worst (every gene touched) vocabulary x hidden floats.
#pragma once
#include <cstdint>
#include <vector>

#include "core/nn/sparse_linear.hpp"
#include "core/train/collective.hpp"

namespace scpt::train {

class GradientSum {
public:
    // Sums `local` (this rank's gradient; rows may be empty) over the ranks of comm. Returns false
    // when any rank asked to cancel (then nothing else is valid).
    bool sum(Collective& comm, const nn::SparseGrad& local, int64_t vocab, int64_t hidden, bool cancel);

    // After sum(): the union of touched genes (ascending), their summed gradient rows
    // (rows().size() x hidden, consecutive) and the summed bias gradient.
    const std::vector<int32_t>& rows() const { return rows_; }
    const float* row_gradients() const { return packed_.data(); }
    const float* bias_gradient() const { return packed_.data() + rows_.size() * size_t(hidden_); }

    double seconds = 0;  // spent in sum() so far (waiting for the other ranks included)
    double floats = 0;   // floats this rank contributed so far

private:
    int64_t hidden_ = 0;
    std::vector<float> flags_, packed_;
    std::vector<int32_t> rows_;
    std::vector<int64_t> slot_;
};

}  // namespace scpt::train
