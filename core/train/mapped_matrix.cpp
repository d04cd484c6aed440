#include "core/train/mapped_matrix.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace scpt::train {

MappedMatrix map_columns(const CellMatrix& m, const std::vector<int32_t>& map, int64_t cols) {
    if (int64_t(map.size()) != m.n_genes) throw std::invalid_argument("map_columns: one map entry per gene expected");
    MappedMatrix out;
    out.rows = m.n_cells;
    out.cols = cols;
    out.indptr.reserve(size_t(m.n_cells) + 1);
    out.indices.reserve(m.indices.size());
    out.values.reserve(m.values.size());
    std::vector<std::pair<int32_t, float>> row;
    for (int64_t c = 0; c < m.n_cells; ++c) {
        row.clear();
        bool sorted = true;
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k) {
            int32_t j = map[size_t(m.indices[size_t(k)])];
            if (j < 0) continue;
            if (j >= cols) throw std::invalid_argument("map_columns: map points outside the target");
            if (!row.empty() && row.back().first >= j) sorted = false;
            row.emplace_back(j, m.values[size_t(k)]);
        }
        if (!sorted) std::stable_sort(row.begin(), row.end(), [](auto& a, auto& b) { return a.first < b.first; });
        for (size_t i = 0; i < row.size(); ++i) {
            if (i > 0 && row[i].first == row[i - 1].first) {
                out.values.back() += row[i].second;
                continue;
            }
            out.indices.push_back(row[i].first);
            out.values.push_back(row[i].second);
        }
        out.indptr.push_back(int64_t(out.values.size()));
    }
    return out;
}

}  // namespace scpt::train
