#include "core/annotate/majority_vote.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/stats/pca.hpp"
#include "core/annotate/space_cells.hpp"
#include "core/cluster/kmeans.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"

namespace scpt::annotate {
namespace {

void check(const MajorityVoteOptions& o) {
    auto bad = [](const std::string& what) { throw std::invalid_argument("majority voting: " + what); };
    if (o.cells_per_cluster < 1) bad("cells_per_cluster must be at least 1");
    if (o.max_clusters < 1) bad("max_clusters must be at least 1");
    if (o.clusters_per_type < 0) bad("clusters_per_type must be at least 0");
    if (o.components < 1) bad("components must be at least 1");
    if (o.variable_genes < 2) bad("variable_genes must be at least 2");
    if (!(o.min_share >= 0 && o.min_share <= 1)) bad("min_share must be in [0, 1]");
    if (o.chunk_cells < 1) bad("chunk_cells must be at least 1");
}

// The `keep` genes of highest variance over the listed cells (transformed by t), read a chunk at a
// time: column g -> its place among them, -1 for the others.
std::vector<int32_t> variable_gene_columns(const CellMatrix& m, const std::vector<int64_t>& rows, const CellTransform& t,
                                           int64_t keep, int64_t chunk, const RunControl& control) {
    std::vector<int32_t> identity(size_t(m.n_genes));
    std::iota(identity.begin(), identity.end(), 0);
    std::vector<double> sum(size_t(m.n_genes), 0.0), sq(size_t(m.n_genes), 0.0);
    const int64_t n = int64_t(rows.size());
    for (int64_t b = 0; b < n; b += chunk) {
        control.check_cancel();
        const int64_t e = std::min(n, b + chunk);
        const CellMatrix c = space_rows(m, rows.data() + b, e - b, identity, m.n_genes, t);
        for (size_t k = 0; k < c.values.size(); ++k) {
            const double v = c.values[k];
            sum[size_t(c.indices[k])] += v;
            sq[size_t(c.indices[k])] += v * v;
        }
    }
    std::vector<double> var(size_t(m.n_genes));
    for (size_t g = 0; g < var.size(); ++g) {
        const double mean = sum[g] / double(n);
        var[g] = sq[g] / double(n) - mean * mean;
    }
    std::vector<int32_t> order(size_t(m.n_genes));
    std::iota(order.begin(), order.end(), 0);
    keep = std::min<int64_t>(keep, m.n_genes);
    std::partial_sort(order.begin(), order.begin() + keep, order.end(), [&](int32_t a, int32_t b) {
        return var[size_t(a)] != var[size_t(b)] ? var[size_t(a)] > var[size_t(b)] : a < b;
    });
    std::sort(order.begin(), order.begin() + keep);  // keep the matrix's gene order
    std::vector<int32_t> column(size_t(m.n_genes), -1);
    for (int64_t i = 0; i < keep; ++i) column[size_t(order[size_t(i)])] = int32_t(i);
    return column;
}

}  // namespace

std::vector<int32_t> over_cluster(const CellMatrix& m, const std::vector<int64_t>& rows, int types,
                                  const MajorityVoteOptions& o, bool allow_scaled, const RunControl& control) {
    check(o);
    const int64_t n = int64_t(rows.size());
    for (int64_t r : rows)
        if (r < 0 || r >= m.n_cells) throw std::invalid_argument("majority voting: a row is outside the matrix");
    const int64_t wanted = std::max<int64_t>((n + o.cells_per_cluster - 1) / o.cells_per_cluster,
                                             int64_t(o.clusters_per_type) * std::max(0, types));
    const int64_t k = std::min<int64_t>({o.max_clusters, wanted, n / 2});
    if (k <= 1 || n < 3 || m.n_genes < 2) return std::vector<int32_t>(size_t(n), 0);

    TransformOptions to;
    to.allow_scaled = allow_scaled;
    const CellTransform t = plan_transform(detect_value_kind(m), Transform::CountsPer10kLog1p, to, nullptr);
    const std::vector<int32_t> column = variable_gene_columns(m, rows, t, o.variable_genes, o.chunk_cells, control);
    const int64_t genes = *std::max_element(column.begin(), column.end()) + 1;
    const CellMatrix x = space_rows(m, rows.data(), n, column, genes, t);
    if (genes < 2) return std::vector<int32_t>(size_t(n), 0);

    PcaOptions po;
    po.components = o.components;
    po.seed = o.seed;
    const PcaResult pcs = pca(x, po, control);
    cluster::KmeansOptions ko;
    ko.k = int(k);
    ko.seed = o.seed;
    return cluster::kmeans(nn::Matrix(pcs.scores), ko, control).labels;
}

std::vector<int32_t> majority_labels(const std::vector<int32_t>& cluster, const std::vector<int32_t>& labels,
                                     double min_share) {
    if (cluster.size() != labels.size())
        throw std::invalid_argument("majority voting: one cluster per cell is needed");
    if (cluster.empty()) return {};
    const int32_t clusters = *std::max_element(cluster.begin(), cluster.end()) + 1;
    const int32_t types = std::max<int32_t>(0, *std::max_element(labels.begin(), labels.end()) + 1);
    if (*std::min_element(cluster.begin(), cluster.end()) < 0)
        throw std::invalid_argument("majority voting: cluster ids must be >= 0");
    // counts[c][0] = Unassigned, counts[c][1 + t] = type t
    std::vector<std::vector<int64_t>> counts(size_t(clusters), std::vector<int64_t>(size_t(types) + 1, 0));
    std::vector<int64_t> sizes(size_t(clusters), 0);
    for (size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < -1) throw std::invalid_argument("majority voting: labels must be >= -1");
        ++counts[size_t(cluster[i])][size_t(labels[i] + 1)];
        ++sizes[size_t(cluster[i])];
    }
    std::vector<int32_t> winner(size_t(clusters), -2);  // -2: keep per-cell labels
    for (int32_t c = 0; c < clusters; ++c) {
        if (sizes[size_t(c)] == 0) continue;
        const auto& v = counts[size_t(c)];
        int32_t best = -1;  // v[0] counts Unassigned (-1)
        int64_t top = v[0];
        bool tied = false;
        for (int32_t t = 0; t < types; ++t) {
            const int64_t n = v[size_t(t) + 1];
            if (n > top) {
                best = t;
                top = n;
                tied = false;
            } else if (n == top && n > 0) {
                tied = true;
            }
        }
        if (!tied && double(top) >= min_share * double(sizes[size_t(c)])) winner[size_t(c)] = best;
    }
    std::vector<int32_t> out(labels.size());
    for (size_t i = 0; i < labels.size(); ++i) {
        const int32_t w = winner[size_t(cluster[i])];
        out[i] = w == -2 ? labels[i] : w;
    }
    return out;
}

}  // namespace scpt::annotate
