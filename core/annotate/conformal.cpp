#include "core/annotate/conformal.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scpt::annotate {
namespace {

constexpr int64_t kMinForTail = 10;   // calibration scores needed to fit a tail
constexpr int64_t kMinExceedances = 5;
constexpr double kTiny = 1e-12;       // scores are distances: a 0 is a duplicate cell

double log_score(float s) { return std::log(std::max(double(s), kTiny)); }

}  // namespace

ConformalTail::ConformalTail(std::vector<float> sorted) : sorted_(std::move(sorted)) {
    if (!std::is_sorted(sorted_.begin(), sorted_.end()))
        throw std::invalid_argument("conformal p-value: calibration scores must be sorted ascending");
    const int64_t n = int64_t(sorted_.size());
    if (n < kMinForTail) return;
    const int64_t m = std::max(kMinExceedances, n / 10);
    const double u = log_score(sorted_[size_t(n - 1 - m)]);
    double sum = 0;
    for (int64_t i = n - m; i < n; ++i) sum += log_score(sorted_[size_t(i)]) - u;
    beta_ = sum / double(m);
    if (!(beta_ > 0) || !std::isfinite(beta_)) beta_ = 0;
}

double ConformalTail::p_value(float score) const {
    const auto n = sorted_.size();
    const auto ge = sorted_.end() - std::lower_bound(sorted_.begin(), sorted_.end(), score);
    const double plain = double(1 + ge) / double(1 + n);
    if (ge > 0 || beta_ <= 0) return plain;
    return plain * std::exp(-(log_score(score) - log_score(sorted_.back())) / beta_);
}

}  // namespace scpt::annotate
