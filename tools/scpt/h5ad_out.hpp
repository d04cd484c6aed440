// scpt annotate --out-h5ad FILE: the annotated cells as an AnnData file (core/annotate/annotated_h5ad.hpp
// says what it holds), written through libhdf5 (tools/native/hdf5_sink.hpp) to a temporary file
// renamed into place. The 2D map X_umap is the page's map (core/layout/cell_map.hpp) of the
// embedding, computed here with the run's seed; when the predictions carry no embedding there is
// neither X_scpretrain nor X_umap.
#pragma once
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/util/run_control.hpp"
#include "tools/native/files.hpp"

namespace scpt::cli {

struct H5adOutOptions {
    std::string path;     // the destination, for messages
    uint64_t seed = 0;    // of the map
    bool map = true;      // compute X_umap from the embedding
};

// Writes into `out` (opened before the work, so an unwritable destination fails first) and commits
// it. Returns a line for the summary ("wrote FILE: ...").
std::string write_annotated_h5ad(native::AtomicFile& out, const H5adOutOptions& o, const CellMatrix& m, const annotate::Predictions& p,
                                 const std::vector<std::string>& classes, const RunControl& rc);

}  // namespace scpt::cli
