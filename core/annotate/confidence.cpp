#include "core/annotate/confidence.hpp"

#include <algorithm>
#include <cmath>

namespace scpt::annotate {
namespace {

double mean_nll(const nn::Matrix& logits, const std::vector<int32_t>& labels, double t) {
    double total = 0;
    for (int64_t r = 0; r < logits.rows(); ++r) {
        double mx = -1e300;
        for (int64_t c = 0; c < logits.cols(); ++c) mx = std::max(mx, double(logits(r, c)) / t);
        double s = 0;
        for (int64_t c = 0; c < logits.cols(); ++c) s += std::exp(double(logits(r, c)) / t - mx);
        total += mx + std::log(s) - double(logits(r, labels[size_t(r)])) / t;
    }
    return total / double(logits.rows());
}

}  // namespace

double fit_temperature(const nn::Matrix& logits, const std::vector<int32_t>& labels, const TemperatureOptions& o) {
    if (logits.rows() == 0 || int64_t(labels.size()) != logits.rows()) return 1.0;
    double a = std::log(o.min_t), b = std::log(o.max_t);
    const double g = (std::sqrt(5.0) - 1) / 2;
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = mean_nll(logits, labels, std::exp(x1)), f2 = mean_nll(logits, labels, std::exp(x2));
    for (int it = 0; it < 60 && b - a > 1e-4; ++it) {
        if (f1 <= f2) {
            b = x2, x2 = x1, f2 = f1;
            x1 = b - g * (b - a);
            f1 = mean_nll(logits, labels, std::exp(x1));
        } else {
            a = x1, x1 = x2, f1 = f2;
            x2 = a + g * (b - a);
            f2 = mean_nll(logits, labels, std::exp(x2));
        }
    }
    return std::exp((a + b) / 2);
}

nn::Matrix softmax_temperature(const nn::Matrix& logits, double t) {
    nn::Matrix p(logits.rows(), logits.cols());
    for (int64_t r = 0; r < logits.rows(); ++r) {
        double mx = -1e300;
        for (int64_t c = 0; c < logits.cols(); ++c) mx = std::max(mx, double(logits(r, c)) / t);
        double s = 0;
        for (int64_t c = 0; c < logits.cols(); ++c) s += std::exp(double(logits(r, c)) / t - mx);
        for (int64_t c = 0; c < logits.cols(); ++c) p(r, c) = float(std::exp(double(logits(r, c)) / t - mx) / s);
    }
    return p;
}

double expected_calibration_error(const std::vector<float>& confidence, const std::vector<char>& correct, int bins) {
    if (confidence.empty()) return 0;
    std::vector<double> conf(size_t(bins), 0), acc(size_t(bins), 0), n(size_t(bins), 0);
    for (size_t i = 0; i < confidence.size(); ++i) {
        const int b = std::min(bins - 1, std::max(0, int(double(confidence[i]) * bins)));
        conf[size_t(b)] += confidence[i];
        acc[size_t(b)] += correct[i] ? 1 : 0;
        n[size_t(b)] += 1;
    }
    double e = 0;
    for (int b = 0; b < bins; ++b)
        if (n[size_t(b)] > 0) e += std::fabs(acc[size_t(b)] - conf[size_t(b)]);
    return e / double(confidence.size());
}

}  // namespace scpt::annotate
