// The conformal p-value of a nonconformity score against sorted calibration scores, with the tail
// beyond the largest calibration score extrapolated.
//
// The plain conformal p-value (1 + #{calibration >= s}) / (1 + n) cannot fall below 1 / (1 + n):
// with fewer than 1/alpha - 1 calibration cells (99 at alpha 0.01) no cell is ever below alpha, and
// Typicality ranks a type of 50 or more cells against its own, so a query cell 30 times farther from
// a type than any of its calibration cells got the same p (1/51 = 0.0196) as one just past them, and
// was kept. Measured on held-out types (EVALUATION.md): the CEL-seq2 lines held out within a plate
// and B cells held out of pbmc3k sat at that floor and were never caught.
//
// Beyond the largest calibration score x_max the p-value goes on falling along an exponential tail
// of the log scores (peaks over a threshold, generalised Pareto with shape 0, fitted to the top
// tenth of the calibration):
//   p(s) = 1/(1+n) * exp(-(ln s - ln x_max) / beta),   beta = mean of ln x_i - ln u over the m
//   largest scores x_i, u the (m+1)-th largest, m = max(5, n/10).
// Up to x_max the p-value is the plain conformal one. The exponential tail is heavier than that of
// log-normal scores, so the extrapolated p-value errs towards keeping a cell.
#pragma once
#include <cstdint>
#include <vector>

namespace scpt::annotate {

class ConformalTail {
public:
    ConformalTail() = default;
    // sorted: calibration scores, ascending, >= 0.
    explicit ConformalTail(std::vector<float> sorted);

    double p_value(float score) const;
    // The tail's scale beta on the log scores; 0 when there are too few (< 10) or tied scores to fit
    // one (then the p-value stops at 1 / (1 + n), as the plain conformal one).
    double tail_scale() const { return beta_; }
    const std::vector<float>& scores() const { return sorted_; }
    int64_t size() const { return int64_t(sorted_.size()); }

private:
    std::vector<float> sorted_;
    double beta_ = 0;
};

}  // namespace scpt::annotate
