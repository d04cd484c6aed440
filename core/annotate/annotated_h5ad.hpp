// What an annotated .h5ad holds (core/io/h5ad_write.hpp writes it): the predicted cells of the
// matrix with their values as read, the matrix's own metadata columns, and the annotation:
//   obs  scpretrain_label        categorical: the reference types, then "Unassigned" when used
//        scpretrain_confidence   float32: calibrated probability of the closest type
//        scpretrain_unassigned   bool
//        scpretrain_closest      categorical: the most probable type, also for Unassigned cells
//        scpretrain_typicality   float32: conformal p-value for the closest type (1: not measured)
//        with majority voting: scpretrain_cell_label (the cell's own label, categorical) and
//        scpretrain_over_cluster (int32)
//   obsm X_scpretrain            the embedding the classifier saw the cells through (when kept)
//        X_umap                  the 2D map (core/layout/cell_map.hpp), when one was computed
// `scpt annotate --out-h5ad` (libhdf5's sink) and the page's "Download .h5ad" (wasm/h5ad_api.cpp,
// core/io/h5_file_writer.hpp) call this: one layout for both.
#pragma once
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/io/h5ad_write.hpp"

namespace scpt::annotate {

// `classes`: the types `p.label`/`p.best` index; `xy`: cells x 2 (empty: no map). The matrix's
// metadata columns whose names clash with ours are left out. Throws std::invalid_argument when
// `xy` does not have two values per predicted cell.
io::H5adContent annotated_h5ad(const CellMatrix& m, const Predictions& p, const std::vector<std::string>& classes,
                               const std::vector<float>& xy);

}  // namespace scpt::annotate
