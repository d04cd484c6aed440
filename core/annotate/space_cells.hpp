// Cells of a matrix as the classifier sees them: values transformed (per cell, on the cell's full
// row, so library-size normalisation counts every gene) and columns carried into the gene space.
// Built a chunk of cells at a time, so predicting a million cells never copies the whole matrix.
#pragma once
#include <cstdint>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/transform.hpp"

namespace scpt::annotate {

// The listed rows of m (in the order given), transformed by t, with column g of m moved to
// column[g] of a matrix of `space_size` genes (dropped when column[g] < 0). Indices are ascending
// within each cell. Names and metadata are not copied.
CellMatrix space_rows(const CellMatrix& m, const int64_t* rows, int64_t n, const std::vector<int32_t>& column,
                      int64_t space_size, const CellTransform& t);

// Rows [begin, end) of m.
CellMatrix space_range(const CellMatrix& m, int64_t begin, int64_t end, const std::vector<int32_t>& column,
                       int64_t space_size, const CellTransform& t);

}  // namespace scpt::annotate
