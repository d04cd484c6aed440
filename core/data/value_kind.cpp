#include "core/data/value_kind.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace scpt {

const char* value_kind_name(ValueKind k) {
    switch (k) {
        case ValueKind::RawCounts: return "raw_counts";
        case ValueKind::LogNormalized: return "log_normalized";
        case ValueKind::Normalized: return "normalized";
        case ValueKind::Scaled: return "scaled";
    }
    return "unknown";
}

namespace {
std::string fmt(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", x);
    return b;
}

// Coefficient of variation of per-cell totals of f(x) over the examined cells (non-empty ones).
template <class F>
double totals_cv(const CellMatrix& m, const std::vector<int64_t>& cells, F f, double* median) {
    std::vector<double> totals;
    for (int64_t c : cells) {
        double s = 0;
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k) s += f(double(m.values[size_t(k)]));
        if (s > 0 && std::isfinite(s)) totals.push_back(s);
    }
    if (totals.size() < 2) return INFINITY;
    double mean = 0;
    for (double t : totals) mean += t;
    mean /= double(totals.size());
    double var = 0;
    for (double t : totals) var += (t - mean) * (t - mean);
    var /= double(totals.size() - 1);
    std::nth_element(totals.begin(), totals.begin() + int64_t(totals.size() / 2), totals.end());
    *median = totals[totals.size() / 2];
    return std::sqrt(var) / mean;
}
}  // namespace

ValueSummary detect_value_kind(const CellMatrix& m, const ValueKindOptions& o) {
    ValueSummary s;
    std::vector<int64_t> cells;
    int64_t step = std::max<int64_t>(1, (m.n_cells + o.max_cells - 1) / std::max<int64_t>(1, o.max_cells));
    for (int64_t c = 0; c < m.n_cells; c += step) cells.push_back(c);
    s.cells_examined = int64_t(cells.size());
    int64_t nonzero = 0;
    bool first = true;
    for (int64_t c : cells)
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k) {
            double v = m.values[size_t(k)];
            ++s.values_examined;
            if (first) s.min = s.max = v, first = false;
            s.min = std::min(s.min, v);
            s.max = std::max(s.max, v);
            if (v < 0) ++s.negatives;
            if (v != 0) {
                ++nonzero;
                if (v != std::floor(v)) ++s.non_integers;
            }
        }
    if (s.values_examined == 0) {
        s.kind = ValueKind::RawCounts;
        s.explanation = "no non-zero values";
        return s;
    }
    if (double(s.negatives) > o.negative_fraction * double(s.values_examined)) {
        s.kind = ValueKind::Scaled;
        s.explanation = std::to_string(s.negatives) + " of " + std::to_string(s.values_examined) +
                        " values examined are negative (min " + fmt(s.min) + "): scaled data such as z-scores";
        return s;
    }
    if (double(nonzero - s.non_integers) >= o.integer_fraction * double(nonzero)) {
        s.kind = ValueKind::RawCounts;
        s.explanation = "non-negative integers up to " + fmt(s.max) + ": raw counts";
        return s;
    }
    double median = 0;
    double raw_cv = totals_cv(m, cells, [](double x) { return x; }, &median);
    if (raw_cv < o.constant_cv) {
        s.kind = ValueKind::Normalized;
        s.cell_total = median;
        s.explanation = "non-integer values whose per-cell totals are all " + fmt(median) + ": normalised data";
        return s;
    }
    if (s.max > o.log_max) {
        s.kind = ValueKind::Normalized;
        s.explanation = "non-integer values up to " + fmt(s.max) + ": normalised data (TPM, FPKM or similar)";
        return s;
    }
    s.kind = ValueKind::LogNormalized;
    s.explanation = "non-integer values up to " + fmt(s.max) + ": log-transformed data";
    const double bases[] = {std::exp(1.0), 2.0, 10.0};
    const char* names[] = {"ln(x+1)", "log2(x+1)", "log10(x+1)"};
    for (int b = 0; b < 3; ++b) {
        double lb = std::log(bases[b]);
        double total = 0;
        double cv = totals_cv(m, cells, [lb](double x) { return std::expm1(x * lb); }, &total);
        if (cv < o.constant_cv) {
            s.log_base = bases[b];
            s.cell_total = total;
            s.explanation += std::string(", recognised as ") + names[b] + " of values summing to " + fmt(total) + " per cell";
            break;
        }
    }
    return s;
}

}  // namespace scpt
