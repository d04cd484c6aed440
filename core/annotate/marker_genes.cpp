#include "core/annotate/marker_genes.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace scpt::annotate {

std::vector<int32_t> select_marker_genes(const CellMatrix& x, const std::vector<int32_t>& y, int n_classes,
                                         const MarkerGeneOptions& o) {
    if (int64_t(y.size()) != x.n_cells) throw std::invalid_argument("select_marker_genes: one type per cell is needed");
    if (n_classes < 2 || o.genes <= 0) return {};
    const int64_t G = x.n_genes;
    // Per type and gene: sum of values; per gene: sum of squares and non-zero count. Zeros add
    // nothing, so one pass over the stored values is enough.
    std::vector<double> sum(size_t(n_classes) * size_t(G), 0.0), sq(size_t(G), 0.0);
    std::vector<int64_t> nnz(size_t(G), 0), per_class(size_t(n_classes), 0);
    for (int64_t c = 0; c < x.n_cells; ++c) {
        const int32_t k = y[size_t(c)];
        if (k < 0 || k >= n_classes) throw std::invalid_argument("select_marker_genes: type out of range");
        ++per_class[size_t(k)];
        double* row = sum.data() + size_t(k) * size_t(G);
        for (int64_t i = x.indptr[size_t(c)]; i < x.indptr[size_t(c) + 1]; ++i) {
            const int32_t g = x.indices[size_t(i)];
            const double v = x.values[size_t(i)];
            row[g] += v;
            sq[size_t(g)] += v * v;
            ++nnz[size_t(g)];
        }
    }
    const double n = double(x.n_cells);
    int present = 0;
    for (int64_t k = 0; k < n_classes; ++k) present += per_class[size_t(k)] > 0;
    if (present < 2 || x.n_cells <= present) return {};
    std::vector<std::pair<double, int32_t>> scored;
    for (int64_t g = 0; g < G; ++g) {
        if (nnz[size_t(g)] < o.min_cells) continue;
        double total = 0, between = 0;
        for (int64_t k = 0; k < n_classes; ++k) total += sum[size_t(k) * size_t(G) + size_t(g)];
        const double mean = total / n;
        for (int64_t k = 0; k < n_classes; ++k) {
            if (per_class[size_t(k)] == 0) continue;
            const double mk = sum[size_t(k) * size_t(G) + size_t(g)] / double(per_class[size_t(k)]);
            between += double(per_class[size_t(k)]) * (mk - mean) * (mk - mean);
        }
        const double within = std::max(0.0, sq[size_t(g)] - n * mean * mean - between);
        // F = (between / (k-1)) / (within / (n-k)); a gene constant within types ranks first.
        const double f = (between / double(present - 1)) / (within / double(x.n_cells - present) + 1e-12);
        scored.push_back({f, int32_t(g)});
    }
    const size_t keep = std::min(scored.size(), size_t(o.genes));
    std::partial_sort(scored.begin(), scored.begin() + std::ptrdiff_t(keep), scored.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<int32_t> out;
    out.reserve(keep);
    for (size_t i = 0; i < keep; ++i) out.push_back(scored[i].second);
    std::sort(out.begin(), out.end());
    return out;
}

nn::Matrix dense_columns(const CellMatrix& x, const std::vector<int32_t>& genes) {
    std::vector<int32_t> slot(size_t(x.n_genes), -1);
    for (size_t j = 0; j < genes.size(); ++j) slot.at(size_t(genes[j])) = int32_t(j);
    nn::Matrix out = nn::Matrix::Zero(x.n_cells, int64_t(genes.size()));
    for (int64_t c = 0; c < x.n_cells; ++c)
        for (int64_t i = x.indptr[size_t(c)]; i < x.indptr[size_t(c) + 1]; ++i) {
            const int32_t j = slot[size_t(x.indices[size_t(i)])];
            if (j >= 0) out(c, j) = x.values[size_t(i)];
        }
    return out;
}

nn::Matrix dense_cells(const CellMatrix& x) {
    nn::Matrix out = nn::Matrix::Zero(x.n_cells, x.n_genes);
    for (int64_t c = 0; c < x.n_cells; ++c)
        for (int64_t i = x.indptr[size_t(c)]; i < x.indptr[size_t(c) + 1]; ++i)
            out(c, x.indices[size_t(i)]) = x.values[size_t(i)];
    return out;
}

}  // namespace scpt::annotate
