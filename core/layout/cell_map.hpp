// The 2D map of the cells shown in the app: the embedding is reduced by PCA, a sample of at most
// `max_layout_cells` cells is laid out by UMAP, and every other cell is placed at the
// distance-weighted mean position of its nearest sampled cells (found through a
// random-projection forest). This keeps the map's cost flat beyond the sample size, so a million
// cells take seconds, not hours; below the sample size every cell is laid out by UMAP itself.
#pragma once
#include <cstdint>
#include <vector>

#include "core/layout/umap.hpp"
#include "core/util/run_control.hpp"

namespace scpt {

struct CellMapOptions {
    int64_t max_layout_cells = 20000;  // cells laid out by UMAP; the rest are placed near them
    int pca_dims = 20;                 // dimensions kept before neighbour search (scanpy-like)
    int place_neighbours = 5;          // sampled cells averaged to place one other cell
    uint64_t seed = 0;
    UmapOptions umap;                  // its seed is taken from `seed`
};

struct CellMap {
    std::vector<float> xy;            // n x 2, row-major
    std::vector<uint8_t> laid_out;    // 1 where the cell was in the UMAP sample, 0 where placed
};

// embedding: n cells x d floats, row-major.
CellMap cell_map(const float* embedding, int64_t n, int d, const CellMapOptions& opt, const RunControl& control = {});

}  // namespace scpt
