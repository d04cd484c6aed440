#include "core/annotate/query_typicality.hpp"

#include <algorithm>

#include "core/annotate/annotate.hpp"

namespace scpt::annotate {

double query_shift(const std::vector<Predictions*>& parts, const Typicality& t) {
    std::vector<float> all;
    for (const Predictions* p : parts) all.insert(all.end(), p->typicality_score.begin(), p->typicality_score.end());
    if (all.empty()) return 1.0;
    const double q = t.shift_quantile();
    const size_t m = std::min(all.size() - 1, size_t(q * double(all.size())));
    std::nth_element(all.begin(), all.begin() + long(m), all.end());
    const double ref = std::max(1e-6, double(t.calibration_quantile(q)));
    return std::max(1.0, double(all[m]) / ref);
}

double decide_query_typicality(const std::vector<Predictions*>& parts, const Typicality& t,
                               const UnknownTypeOptions& o) {
    const double shift = query_shift(parts, t);
    for (Predictions* p : parts) {
        for (size_t i = 0; i < p->best.size(); ++i)
            p->typicality[i] = float(t.p_value(float(double(p->typicality_score[i]) / shift), p->best[i]));
        apply_unknown_rule(*p, o);
    }
    return shift;
}

}  // namespace scpt::annotate
