// A quick 2-D map of the cells from the data alone, so the page can show a matrix as soon as it is
// loaded (and so the plot has real input before core's annotate/layout flow lands): the first two
// principal components of log1p(values), by randomized subspace iteration on the sparse matrix
// (never densified: memory O((cells + genes) x 8)).
#pragma once
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/util/run_control.hpp"

namespace scpt::wasm {

struct PreviewMapOptions {
    int rank = 8;        // subspace size (2 kept; the rest speeds convergence)
    int iterations = 6;  // power iterations
    bool log1p = true;   // log(1 + x) first (set false when values are already log-scale)
    uint64_t seed = 42;
};

// Returns 2 * n_cells floats, (x, y) per cell.
std::vector<float> preview_map(const CellMatrix& m, const PreviewMapOptions& opt, const RunControl& rc);

}  // namespace scpt::wasm
