#include "core/annotate/space_cells.hpp"

#include <algorithm>
#include <numeric>

namespace scpt::annotate {
namespace {

template <class RowOf>
CellMatrix build(const CellMatrix& m, int64_t n, RowOf row_of, const std::vector<int32_t>& column, int64_t space_size,
                 const CellTransform& t) {
    CellMatrix out;
    out.n_cells = n;
    out.n_genes = space_size;
    out.indptr.reserve(size_t(n) + 1);
    out.indptr.push_back(0);
    std::vector<std::pair<int32_t, float>> kept;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t r = row_of(i);
        const int64_t b = m.indptr[size_t(r)], e = m.indptr[size_t(r) + 1];
        // The cell's factor counts every gene; only the kept genes' values are transformed.
        const double scale = t.cell_scale(m.values.data() + b, size_t(e - b));
        kept.clear();
        bool sorted = true;
        for (int64_t k = b; k < e; ++k) {
            const int32_t c = column[size_t(m.indices[size_t(k)])];
            if (c < 0) continue;
            const float v = t.value(m.values[size_t(k)], scale);
            if (v == 0.f) continue;
            if (!kept.empty() && c < kept.back().first) sorted = false;
            kept.push_back({c, v});
        }
        if (!sorted) std::sort(kept.begin(), kept.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& [c, v] : kept) {
            out.indices.push_back(c);
            out.values.push_back(v);
        }
        out.indptr.push_back(int64_t(out.values.size()));
    }
    return out;
}

}  // namespace

CellMatrix space_rows(const CellMatrix& m, const int64_t* rows, int64_t n, const std::vector<int32_t>& column,
                      int64_t space_size, const CellTransform& t) {
    return build(m, n, [rows](int64_t i) { return rows[i]; }, column, space_size, t);
}

CellMatrix space_range(const CellMatrix& m, int64_t begin, int64_t end, const std::vector<int32_t>& column,
                       int64_t space_size, const CellTransform& t) {
    return build(m, end - begin, [begin](int64_t i) { return begin + i; }, column, space_size, t);
}

}  // namespace scpt::annotate
