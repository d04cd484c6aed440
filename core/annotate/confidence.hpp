// The confidence reported with each label: the softmax probability of the predicted type after
// temperature scaling (Guo et al. 2017), fitted on the validation cells the fine-tuning held out,
// so that among cells of reference types given confidence ~0.8, about 80% are right. One scalar
// T divides the logits: it changes how sure the probabilities are, never which type wins.
#pragma once
#include <cstdint>
#include <vector>

#include "core/nn/tensor.hpp"

namespace scpt::annotate {

struct TemperatureOptions {
    double min_t = 0.25;  // bounds of the search; a perfectly separated validation set drives
    double max_t = 8.0;   // the fit to the lower bound (it would sharpen without limit)
};

// T minimising the mean negative log-likelihood of labels under softmax(logits / T) (golden-section
// search on log T). Returns 1 without labelled rows.
double fit_temperature(const nn::Matrix& logits, const std::vector<int32_t>& labels, const TemperatureOptions& o = {});

// Row-wise softmax(logits / t).
nn::Matrix softmax_temperature(const nn::Matrix& logits, double t);

// Expected calibration error of confidences against correctness, with `bins` equal-width bins.
double expected_calibration_error(const std::vector<float>& confidence, const std::vector<char>& correct, int bins = 10);

}  // namespace scpt::annotate
