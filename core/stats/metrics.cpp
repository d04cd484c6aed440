#include "core/stats/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/util/error.hpp"

namespace scpt {
namespace {

void check_same_size(size_t a, size_t b, const char* what) {
    if (a != b) throw Error(std::string(what) + ": truth and prediction differ in length");
}

// Maps label -1 to n_classes so it can index arrays.
inline int32_t slot(int32_t label, int32_t n_classes) { return label < 0 ? n_classes : label; }

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

std::vector<std::vector<int64_t>> confusion_matrix(const std::vector<int32_t>& truth,
                                                   const std::vector<int32_t>& pred, int32_t n_classes) {
    check_same_size(truth.size(), pred.size(), "confusion_matrix");
    std::vector<std::vector<int64_t>> m(size_t(n_classes) + 1, std::vector<int64_t>(size_t(n_classes) + 1, 0));
    for (size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] >= n_classes || pred[i] >= n_classes) throw Error("confusion_matrix: label out of range");
        ++m[size_t(slot(truth[i], n_classes))][size_t(slot(pred[i], n_classes))];
    }
    return m;
}

ClassificationScores score_labels(const std::vector<int32_t>& truth, const std::vector<int32_t>& pred,
                                  int32_t n_classes) {
    auto m = confusion_matrix(truth, pred, n_classes);
    const size_t k = m.size();
    ClassificationScores s;
    s.n = int64_t(truth.size());
    if (s.n == 0) return s;
    std::vector<double> row(k, 0), col(k, 0);
    double diag = 0;
    for (size_t i = 0; i < k; ++i)
        for (size_t j = 0; j < k; ++j) {
            row[i] += double(m[i][j]);
            col[j] += double(m[i][j]);
            if (i == j) diag += double(m[i][j]);
        }
    const double n = double(s.n);
    s.accuracy = diag / n;
    double pe = 0;
    for (size_t i = 0; i < k; ++i) pe += row[i] * col[i];
    pe /= n * n;
    s.kappa = pe < 1 ? (s.accuracy - pe) / (1 - pe) : 1.0;
    std::vector<double> f1;
    for (size_t c = 0; c < k; ++c) {
        if (row[c] == 0) continue;  // only classes present in the truth
        double tp = double(m[c][c]);
        f1.push_back(tp == 0 ? 0.0 : 2 * tp / (row[c] + col[c]));
    }
    s.macro_f1 = f1.empty() ? 0 : std::accumulate(f1.begin(), f1.end(), 0.0) / double(f1.size());
    s.median_f1 = median(f1);
    return s;
}

namespace {

// Scores of one class and whether each cell is a positive, sorted by descending score.
std::vector<std::pair<float, bool>> ranked(const std::vector<int32_t>& truth, const std::vector<float>& prob,
                                           int32_t n_classes, int32_t c) {
    std::vector<std::pair<float, bool>> r(truth.size());
    for (size_t i = 0; i < truth.size(); ++i) r[i] = {prob[i * size_t(n_classes) + size_t(c)], truth[i] == c};
    std::sort(r.begin(), r.end(), [](auto& a, auto& b) { return a.first > b.first; });
    return r;
}

template <class PerClass>
double macro_over_present(const std::vector<int32_t>& truth, const std::vector<float>& prob, int32_t n_classes,
                          PerClass per_class) {
    if (prob.size() != truth.size() * size_t(n_classes)) throw Error("macro score: probability table has the wrong size");
    double sum = 0;
    int present = 0;
    for (int32_t c = 0; c < n_classes; ++c) {
        int64_t pos = std::count(truth.begin(), truth.end(), c);
        if (pos == 0 || pos == int64_t(truth.size())) continue;  // undefined for this class
        sum += per_class(ranked(truth, prob, n_classes, c), pos);
        ++present;
    }
    return present ? sum / present : 0;
}

}  // namespace

double macro_auroc(const std::vector<int32_t>& truth, const std::vector<float>& prob, int32_t n_classes) {
    return macro_over_present(truth, prob, n_classes, [](const std::vector<std::pair<float, bool>>& r, int64_t pos) {
        // Mann-Whitney U with ties counted as one half: walk groups of equal score.
        const double neg = double(r.size()) - double(pos);
        double u = 0, neg_below = neg;
        for (size_t i = 0; i < r.size();) {
            size_t j = i;
            double p = 0, q = 0;
            while (j < r.size() && r[j].first == r[i].first) (r[j++].second ? p : q) += 1;
            neg_below -= q;
            u += p * (neg_below + 0.5 * q);
            i = j;
        }
        return u / (double(pos) * neg);
    });
}

double macro_auprc(const std::vector<int32_t>& truth, const std::vector<float>& prob, int32_t n_classes) {
    return macro_over_present(truth, prob, n_classes, [](const std::vector<std::pair<float, bool>>& r, int64_t pos) {
        // Average precision: sum over thresholds of (recall step) * precision, ties grouped.
        double tp = 0, seen = 0, ap = 0;
        for (size_t i = 0; i < r.size();) {
            size_t j = i;
            double p = 0;
            while (j < r.size() && r[j].first == r[i].first) {
                if (r[j].second) p += 1;
                ++j;
            }
            seen += double(j - i);
            tp += p;
            ap += (p / double(pos)) * (tp / seen);
            i = j;
        }
        return ap;
    });
}

namespace {

struct Contingency {
    std::map<std::pair<int32_t, int32_t>, double> cells;
    std::map<int32_t, double> a, b;
    double n = 0;
};

Contingency contingency(const std::vector<int32_t>& x, const std::vector<int32_t>& y) {
    check_same_size(x.size(), y.size(), "partition comparison");
    Contingency t;
    for (size_t i = 0; i < x.size(); ++i) {
        t.cells[{x[i], y[i]}] += 1;
        t.a[x[i]] += 1;
        t.b[y[i]] += 1;
    }
    t.n = double(x.size());
    return t;
}

inline double choose2(double v) { return v * (v - 1) / 2; }

}  // namespace

double adjusted_rand_index(const std::vector<int32_t>& x, const std::vector<int32_t>& y) {
    Contingency t = contingency(x, y);
    if (t.n < 2) return 1.0;
    double sum_ij = 0, sum_a = 0, sum_b = 0;
    for (auto& [k, v] : t.cells) sum_ij += choose2(v);
    for (auto& [k, v] : t.a) sum_a += choose2(v);
    for (auto& [k, v] : t.b) sum_b += choose2(v);
    double expected = sum_a * sum_b / choose2(t.n);
    double max_index = 0.5 * (sum_a + sum_b);
    if (max_index == expected) return 1.0;  // both partitions trivial: identical by convention
    return (sum_ij - expected) / (max_index - expected);
}

double normalized_mutual_info(const std::vector<int32_t>& x, const std::vector<int32_t>& y) {
    Contingency t = contingency(x, y);
    if (t.n == 0) return 1.0;
    auto entropy = [&](const std::map<int32_t, double>& m) {
        double h = 0;
        for (auto& [k, v] : m) h -= (v / t.n) * std::log(v / t.n);
        return h;
    };
    double ha = entropy(t.a), hb = entropy(t.b), mi = 0;
    for (auto& [k, v] : t.cells) mi += (v / t.n) * std::log(v * t.n / (t.a[k.first] * t.b[k.second]));
    if (ha + hb == 0) return 1.0;
    return std::max(0.0, 2 * mi / (ha + hb));
}

}  // namespace scpt
