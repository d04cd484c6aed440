#include "core/io/loom.hpp"

#include <algorithm>

#include "core/io/h5_columns.hpp"
#include "core/io/h5_matrix.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {
std::string first_present(const H5Source& f, const std::string& group, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (h5_is_dataset(f, h5_join(group, n))) return n;
    return "";
}
}  // namespace

CellMatrix read_loom(const H5Source& f, const ReadOptions& o) {
    const std::string& name = f.name();
    CellMatrix m;
    h5_require_dataset(f, "/matrix", "the Loom expression matrix");
    h5_read_dense(f, "/matrix", /*cells_are_rows=*/false, o, m);
    const int64_t genes = m.n_genes, cells = m.n_cells;
    // Genes.
    std::string sym = o.gene_column;
    if (!sym.empty() && !h5_is_dataset(f, "/row_attrs/" + sym))
        throw input_error(name, "has no gene attribute '" + sym + "' in /row_attrs");
    if (sym.empty()) sym = first_present(f, "/row_attrs", {"Gene", "gene", "Genes", "gene_name", "var_names", "Symbol"});
    std::string acc = first_present(f, "/row_attrs", {"Accession", "accession", "gene_ids", "Ensembl"});
    if (sym.empty() && acc.empty()) throw input_error(name, "has no gene names (/row_attrs/Gene)");
    m.gene_symbols = h5_column_text(f, "/row_attrs", sym.empty() ? acc : sym, genes);
    m.gene_ids = acc.empty() ? m.gene_symbols : h5_column_text(f, "/row_attrs", acc, genes);
    // Cells.
    std::string id = first_present(f, "/col_attrs", {"CellID", "cell_id", "CellId", "obs_names", "cell_names", "barcode"});
    if (id.empty()) {
        m.notes.push_back(name + ": no /col_attrs/CellID; cells are numbered");
        for (int64_t i = 0; i < cells; ++i) m.barcodes.push_back("cell" + std::to_string(i + 1));
    } else {
        m.barcodes = h5_column_text(f, "/col_attrs", id, cells);
    }
    if (f.is_group("/col_attrs")) {
        for (const auto& c : f.children("/col_attrs")) {
            if (c == id) continue;
            ObsColumn col;
            std::string why;
            if (h5_read_column(f, "/col_attrs", c, cells, col, &why)) m.obs.push_back(std::move(col));
        }
    }
    return m;
}

}  // namespace scpt::io
