#include "core/io/cellblast_h5.hpp"

#include "core/io/h5_columns.hpp"
#include "core/io/h5_matrix.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

CellMatrix read_cellblast_h5(const H5Source& f, const ReadOptions& o) {
    const std::string& name = f.name();
    h5_require_dataset(f, "/obs_names", "cell ids of a Cell BLAST file");
    h5_require_dataset(f, "/var_names", "gene names of a Cell BLAST file");
    std::vector<std::string> cells = h5_read_strings(f, "/obs_names", o.limits.max_cells);
    std::vector<std::string> genes = h5_read_strings(f, "/var_names", o.limits.max_genes);
    const int64_t nc = int64_t(cells.size()), ng = int64_t(genes.size());
    CellMatrix m;
    if (f.is_group("/exprs")) {
        h5_require_dataset(f, "/exprs/indptr", "part of the sparse matrix");
        H5DatasetInfo pi = f.dataset_info("/exprs/indptr");
        H5SparseLayout l{"/exprs/data", "/exprs/indices", "/exprs/indptr", nc, ng, true, nullptr, -1};
        if (pi.rows() == nc + 1) l.by_cell = true;
        else if (pi.rows() == ng + 1) l.by_cell = false;
        else
            throw input_error(name, "/exprs/indptr has " + std::to_string(pi.rows()) + " entries but there are " +
                                        std::to_string(nc) + " cells (obs_names) and " + std::to_string(ng) + " genes (var_names)");
        if (h5_is_dataset(f, "/exprs/shape")) {
            std::vector<int64_t> s = h5_read_int64(f, "/exprs/shape", 16);
            if (s.size() != 2 || !((s[0] == nc && s[1] == ng) || (s[0] == ng && s[1] == nc)))
                throw input_error(name, "/exprs/shape does not match obs_names (" + std::to_string(nc) + ") and var_names (" +
                                            std::to_string(ng) + ")");
        }
        h5_read_sparse(f, l, o, m);
    } else {
        h5_require_dataset(f, "/exprs", "the expression matrix");
        H5DatasetInfo info = f.dataset_info("/exprs");
        if (info.shape.size() != 2) throw input_error(name, "/exprs is not a 2-D matrix");
        bool cells_rows;
        if (info.shape[0] == nc && info.shape[1] == ng) cells_rows = true;
        else if (info.shape[0] == ng && info.shape[1] == nc) cells_rows = false;
        else
            throw input_error(name, "/exprs is " + std::to_string(info.shape[0]) + " x " + std::to_string(info.shape[1]) +
                                        " but there are " + std::to_string(nc) + " cells and " + std::to_string(ng) + " genes");
        if (!cells_rows) m.notes.push_back(name + ": /exprs is stored genes x cells; read transposed");
        h5_read_dense(f, "/exprs", cells_rows, o, m);
    }
    m.barcodes = std::move(cells);
    m.gene_symbols = genes;
    m.gene_ids = std::move(genes);
    if (f.is_group("/obs"))
        for (const auto& c : h5_frame_columns(f, "/obs", {})) {
            ObsColumn col;
            std::string why;
            if (h5_read_column(f, "/obs", c, nc, col, &why)) m.obs.push_back(std::move(col));
        }
    return m;
}

}  // namespace scpt::io
