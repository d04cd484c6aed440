#include "core/annotate/typicality.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scpt::annotate {
namespace {

float median(std::vector<float> v) {
    if (v.empty()) return 0.f;
    const size_t m = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + long(m), v.end());
    return v[m];
}

constexpr int64_t kChunk = 512;  // cells per similarity block

}  // namespace

nn::Matrix Typicality::unit(const nn::Matrix& f) const {
    nn::Matrix u = f.rowwise() - mean_;
    for (int64_t i = 0; i < u.rows(); ++i) {
        const float n = u.row(i).norm();
        if (n > 0) u.row(i) /= n;
    }
    return u;
}

float Typicality::knn_distance(const float* sims, const std::vector<int64_t>& members, int64_t self) const {
    // k largest similarities among the members (ties and order do not change the mean).
    thread_local std::vector<float> s;
    s.clear();
    for (int64_t r : members)
        if (r != self) s.push_back(sims[r]);
    if (s.empty()) return 1.f;
    const size_t k = std::min(s.size(), size_t(k_));
    std::nth_element(s.begin(), s.begin() + long(k - 1), s.end(), std::greater<float>());
    double sum = 0;
    for (size_t i = 0; i < k; ++i) sum += 1.0 - double(s[i]);
    return float(sum / double(k));
}

void Typicality::fit(const nn::Matrix& reference, const std::vector<int32_t>& labels, int n_classes,
                     const nn::Matrix* calibration, const std::vector<int32_t>* calibration_labels,
                     const TypicalityOptions& o) {
    if (int64_t(labels.size()) != reference.rows() || reference.rows() == 0)
        throw std::invalid_argument("typicality: one label per reference cell needed");
    k_ = std::max(1, o.neighbours);
    d_ = reference.cols();
    // Reference cells kept per type (evenly spaced within the type).
    std::vector<std::vector<int64_t>> by_type(static_cast<size_t>(n_classes));
    for (int64_t i = 0; i < reference.rows(); ++i) by_type[size_t(labels[size_t(i)])].push_back(i);
    std::vector<int64_t> kept;
    for (auto& cells : by_type) {
        const int64_t n = int64_t(cells.size()), m = std::min(n, o.max_reference);
        for (int64_t j = 0; j < m; ++j) kept.push_back(cells[size_t(j * n / m)]);
    }
    std::sort(kept.begin(), kept.end());
    mean_ = reference.colwise().mean();
    nn::Matrix sub(int64_t(kept.size()), d_);
    members_.assign(size_t(n_classes), {});
    for (size_t i = 0; i < kept.size(); ++i) {
        sub.row(int64_t(i)) = reference.row(kept[i]);
        members_[size_t(labels[size_t(kept[i])])].push_back(int64_t(i));
    }
    ref_ = unit(sub);

    // Each type's scale: the median leave-one-out score of its own reference cells.
    std::vector<float> loo(size_t(ref_.rows()));
    for (int64_t b = 0; b < ref_.rows(); b += kChunk) {
        const int64_t e = std::min<int64_t>(ref_.rows(), b + kChunk);
        const nn::Matrix sims = ref_.middleRows(b, e - b) * ref_.transpose();
        for (int64_t i = b; i < e; ++i)
            loo[size_t(i)] = knn_distance(sims.row(i - b).data(), members_[size_t(labels[size_t(kept[size_t(i)])])], i);
    }
    std::vector<float> all_scales;
    scale_.assign(size_t(n_classes), 0.f);
    for (int c = 0; c < n_classes; ++c) {
        std::vector<float> v;
        for (int64_t r : members_[size_t(c)])
            if (members_[size_t(c)].size() > 1) v.push_back(loo[size_t(r)]);
        scale_[size_t(c)] = median(v);
        if (!v.empty()) all_scales.push_back(scale_[size_t(c)]);
    }
    // Types with a single cell (or identical cells) borrow the typical scale of the others.
    const float fallback = std::max(median(all_scales), 1e-6f);
    for (auto& s : scale_)
        if (!(s > 1e-6f)) s = fallback;

    min_type_calibration_ = o.min_type_calibration;
    if (!(o.shift_quantile > 0 && o.shift_quantile < 1)) throw std::invalid_argument("typicality: shift_quantile must be in (0, 1)");
    shift_quantile_ = o.shift_quantile;
    std::vector<float> calibration_scores;
    std::vector<std::vector<float>> type_scores(static_cast<size_t>(n_classes));
    if (calibration) {
        calibration_scores = scores(*calibration, *calibration_labels);
        for (size_t i = 0; i < calibration_scores.size(); ++i)
            type_scores[size_t((*calibration_labels)[i])].push_back(calibration_scores[i]);
    } else {
        for (size_t i = 0; i < kept.size(); ++i) {
            const int32_t c = labels[size_t(kept[i])];
            if (members_[size_t(c)].size() > 1) {
                calibration_scores.push_back(loo[i] / scale_[size_t(c)]);
                type_scores[size_t(c)].push_back(calibration_scores.back());
            }
        }
    }
    std::sort(calibration_scores.begin(), calibration_scores.end());
    pooled_ = ConformalTail(std::move(calibration_scores));
    own_.clear();
    for (auto& v : type_scores) {
        std::sort(v.begin(), v.end());
        own_.emplace_back(std::move(v));
    }
}

std::vector<float> Typicality::scores(const nn::Matrix& features, const std::vector<int32_t>& types) const {
    std::vector<float> out(size_t(features.rows()));
    for (int64_t b = 0; b < features.rows(); b += kChunk) {
        const int64_t e = std::min<int64_t>(features.rows(), b + kChunk);
        const nn::Matrix u = unit(features.middleRows(b, e - b));
        const nn::Matrix sims = u * ref_.transpose();
        for (int64_t i = b; i < e; ++i) {
            const int32_t c = types[size_t(i)];
            out[size_t(i)] = knn_distance(sims.row(i - b).data(), members_[size_t(c)], -1) / scale_[size_t(c)];
        }
    }
    return out;
}

double Typicality::p_value(float score) const { return pooled_.p_value(score); }

double Typicality::p_value(float score, int32_t type) const {
    if (type < 0 || size_t(type) >= own_.size()) throw std::invalid_argument("typicality: no such type");
    const auto& own = own_[size_t(type)];
    return own.size() >= min_type_calibration_ ? own.p_value(score) : pooled_.p_value(score);
}

float Typicality::calibration_quantile(double q) const {
    const auto& c = pooled_.scores();
    if (c.empty()) return 1.f;
    const size_t i = std::min(c.size() - 1, size_t(q * double(c.size())));
    return c[i];
}

}  // namespace scpt::annotate
