#include "tools/scpt/h5ad_out.hpp"

#include "core/annotate/annotated_h5ad.hpp"
#include "core/layout/cell_map.hpp"
#include "tools/native/hdf5_sink.hpp"

namespace scpt::cli {

std::string write_annotated_h5ad(native::AtomicFile& out, const H5adOutOptions& o, const CellMatrix& m, const annotate::Predictions& p,
                                 const std::vector<std::string>& classes, const RunControl& rc) {
    const int64_t n = int64_t(p.cells.size());
    const int d = int(p.embedding.cols());
    std::vector<float> xy;
    if (o.map && d > 0 && p.embedding.rows() == n) {
        if (n >= 3) {
            CellMapOptions co;
            co.seed = o.seed;
            xy = cell_map(p.embedding.data(), n, d, co, rc).xy;
        } else {
            xy.assign(size_t(2 * n), 0.0f);  // as the page: too few cells to lay out
        }
    }
    const io::H5adContent content = annotate::annotated_h5ad(m, p, classes, xy);
    {
        native::Hdf5Sink sink(out.temp_path(), o.path);
        io::write_h5ad(content, sink);
        sink.close();
    }
    out.commit();
    std::string what = std::to_string(n) + " cells x " + std::to_string(m.n_genes) + " genes";
    if (d > 0) what += ", X_scpretrain (" + std::to_string(d) + " dims)";
    if (!xy.empty()) what += ", X_umap";
    return "wrote " + o.path + ": " + what;
}

}  // namespace scpt::cli
