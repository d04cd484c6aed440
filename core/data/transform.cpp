#include "core/data/transform.hpp"

#include <cmath>
#include <cstdio>

#include "core/util/error.hpp"

namespace scpt {

namespace {
std::string fmt(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", x);
    return b;
}
}  // namespace

double CellTransform::cell_scale(const float* v, size_t n) const {
    if (identity_ || per_cell_ == 0) return 1;
    double total = 0;
    if (unlog_ != 0) {
        for (size_t k = 0; k < n; ++k) total += float(std::expm1(double(v[k]) * unlog_));
    } else {
        for (size_t k = 0; k < n; ++k) total += v[k];
    }
    return total > 0 ? per_cell_ / total : 0;
}

float CellTransform::value(float x, double scale) const {
    if (identity_) return x;
    if (unlog_ != 0) x = float(std::expm1(double(x) * unlog_));
    return float(std::log1p(double(x) * scale));
}

void CellTransform::apply(float* v, size_t n) const {
    if (identity_) return;
    const double scale = cell_scale(v, n);
    for (size_t k = 0; k < n; ++k) v[k] = value(v[k], scale);
}

CellTransform plan_transform(const ValueSummary& s, Transform target, const TransformOptions& o,
                             std::vector<std::string>* warnings) {
    CellTransform t;
    const std::string who = o.what.empty() ? std::string("the data") : o.what;
    auto warn = [&](const std::string& w) {
        if (warnings) warnings->push_back(w);
    };
    const bool cp10k = target == Transform::CountsPer10kLog1p;
    const std::string counts_formula = cp10k ? "log(1 + 10000 x / cell total)" : "log(1 + x)";
    switch (s.kind) {
        case ValueKind::RawCounts:
            t.per_cell_ = cp10k ? 1e4 : 0;
            t.description_ = "raw counts -> " + counts_formula;
            break;
        case ValueKind::Normalized:
            t.per_cell_ = cp10k ? 1e4 : 0;
            t.description_ = "normalised values -> " + counts_formula;
            warn(who + ": values look normalised (" + s.explanation + "); " + counts_formula +
                 " was applied to them as if they were counts");
            break;
        case ValueKind::LogNormalized:
            if (s.log_base > 0) {
                t.unlog_ = std::log(s.log_base);
                t.per_cell_ = cp10k ? 1e4 : 0;
                t.description_ = "log values (base " + fmt(s.log_base) + ") un-logged, then " + counts_formula;
                warn(who + ": " + s.explanation + "; the log was undone exactly and " + counts_formula + " applied");
            } else {
                t.identity_ = true;
                t.description_ = "log values used as they are";
                warn(who + ": values look already log-transformed (" + s.explanation +
                     "); they were used as they are, not logged again. The model expects " +
                     (cp10k ? "log(1 + counts per 10,000)" : "log(1 + raw counts)") +
                     ", so results are best with raw counts");
            }
            break;
        case ValueKind::Scaled:
            if (!o.allow_scaled)
                throw input_error(who, "values look scaled (" + s.explanation +
                                           "). The model needs expression levels, not z-scores: use the raw or "
                                           "normalised counts instead (for an .h5ad, its .raw or a 'counts' layer)");
            t.identity_ = true;
            t.description_ = "scaled values used as they are";
            warn(who + ": values look scaled (" + s.explanation +
                 "); they were used as they are and annotation quality will suffer");
            break;
    }
    return t;
}

void apply_transform(CellMatrix& m, const CellTransform& t, const RunControl* control) {
    if (t.is_identity()) return;
    for (int64_t c = 0; c < m.n_cells; ++c) {
        int64_t b = m.indptr[size_t(c)], e = m.indptr[size_t(c) + 1];
        t.apply(m.values.data() + b, size_t(e - b));
        if (control && (c & 4095) == 0) control->check_cancel();
    }
}

}  // namespace scpt
