#include "core/train/pseudo_labels.hpp"

#include <algorithm>
#include <string>

#include "core/cluster/kmeans.hpp"
#include "core/util/error.hpp"
#include "core/util/rng.hpp"

namespace scpt::train {
namespace {

template <class X>
PseudoLabels cluster_levels(const X& x, int64_t n, const PseudoLabelOptions& o, const RunControl& control) {
    if (n < 3)
        throw InputError("pseudo-labels need at least 3 cells, got " + std::to_string(n));
    if (o.kmeans_iters < 1) throw InputError("kmeans_iters must be at least 1");
    PseudoLabels out;
    out.k = pseudo_label_counts(n);
    RunControl sub;  // K-means' own progress would interleave with the caller's messages
    sub.cancel = control.cancel;
    sub.threads = control.threads;
    for (int j = 0; j < 3; ++j) {
        cluster::KmeansOptions ko;
        ko.k = out.k[size_t(j)];
        ko.max_iters = o.kmeans_iters;
        ko.seed = pseudo_label_seed(o, j);
        out.labels[size_t(j)] = cluster::kmeans(x, ko, sub).labels;
    }
    return out;
}

}  // namespace

std::array<int, 3> pseudo_label_counts(int64_t n) {
    auto clamp = [n](int64_t k) { return int(std::max<int64_t>(2, std::min<int64_t>(k, n - 1))); };
    return {clamp(n / 100), clamp(n / 50), clamp(n / 200 + 1)};
}

uint64_t pseudo_label_seed(const PseudoLabelOptions& o, int level) {
    return Rng(o.seed).split(uint64_t(1000 * o.phase + 3 * o.corpus_index + level)).next_u64();
}

PseudoLabels pseudo_labels(const nn::CsrRef& x, const PseudoLabelOptions& options, const RunControl& control) {
    return cluster_levels(x, x.rows, options, control);
}

PseudoLabels pseudo_labels(const nn::Matrix& z, const PseudoLabelOptions& options, const RunControl& control) {
    return cluster_levels(z, int64_t(z.rows()), options, control);
}

}  // namespace scpt::train
