#include "core/io/h5ad.hpp"

#include <algorithm>

#include "core/data/gene_names.hpp"
#include "core/io/h5_columns.hpp"
#include "core/io/h5_matrix.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {

std::string frame_index(const H5Source& f, const std::string& frame) {
    return h5_string_attribute(f, frame, "_index", "_index");
}

// Names of a frame's index (obs_names / var_names); placeholders when absent.
std::vector<std::string> index_names(const H5Source& f, const std::string& frame, int64_t n, const char* prefix,
                                     std::vector<std::string>& notes) {
    std::string col = h5_join(frame, frame_index(f, frame));
    if (h5_is_dataset(f, col)) {
        std::vector<std::string> v = h5_column_text(f, frame, frame_index(f, frame), n);
        return v;
    }
    notes.push_back(f.name() + ": " + frame + " has no index; " + prefix + " are numbered");
    std::vector<std::string> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[size_t(i)] = prefix + std::to_string(i + 1);
    return v;
}

std::string join_names(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

}  // namespace

CellMatrix read_h5ad(const H5Source& f, const ReadOptions& o) {
    const std::string& name = f.name();
    CellMatrix m;
    std::string xpath = "/X", var = "/var";
    if (!o.layer.empty()) {
        xpath = "/layers/" + o.layer;
        if (!f.exists(xpath)) {
            std::string have = f.is_group("/layers") ? join_names(f.children("/layers")) : "";
            throw input_error(name, "has no layer '" + o.layer + "' (layers: " + (have.empty() ? "none" : have) + ")");
        }
    } else if (o.use_raw) {
        if (!f.exists("/raw/X")) throw input_error(name, "has no .raw matrix (raw/X); read X instead");
        xpath = "/raw/X";
        var = "/raw/var";
    }
    if (!f.exists(xpath)) throw input_error(name, "has no expression matrix X: not an AnnData file?");
    if (h5_is_dataset(f, "/obs"))
        throw input_error(name, "uses the AnnData 0.6 layout (obs stored as one table), which is not supported: "
                                "re-save it with a recent anndata");
    if (!f.is_group("/obs")) throw input_error(name, "has no obs group: not an AnnData file?");

    // Shape and encoding.
    int64_t n_cells = 0, n_genes = 0;
    if (f.is_group(xpath)) {
        std::string enc = h5_string_attribute(f, xpath, "encoding-type");
        if (enc.empty()) {
            std::string old = h5_string_attribute(f, xpath, "h5sparse_format");
            if (!old.empty()) enc = old + "_matrix";
        }
        if (enc != "csr_matrix" && enc != "csc_matrix")
            throw input_error(name, xpath + " is encoded as '" + enc +
                                        "', which this reader does not know (expected csr_matrix, csc_matrix or a dense array)");
        std::vector<int64_t> shape;
        if (f.has_attribute(xpath, "shape")) shape = f.read_int_attribute(xpath, "shape");
        else if (f.has_attribute(xpath, "h5sparse_shape")) shape = f.read_int_attribute(xpath, "h5sparse_shape");
        if (shape.size() != 2) throw input_error(name, xpath + " has no 2-D shape attribute");
        n_cells = shape[0];
        n_genes = shape[1];
        H5SparseLayout l;
        l.data = xpath + "/data";
        l.indices = xpath + "/indices";
        l.indptr = xpath + "/indptr";
        l.n_cells = n_cells;
        l.n_genes = n_genes;
        l.by_cell = enc == "csr_matrix";
        h5_read_sparse(f, l, o, m);
    } else {
        h5_read_dense(f, xpath, true, o, m);
        n_cells = m.n_cells;
        n_genes = m.n_genes;
    }

    // Genes.
    if (!f.is_group(var)) throw input_error(name, "has no " + var + " group (gene names)");
    std::string var_index = frame_index(f, var);
    std::vector<std::string> index = index_names(f, var, n_genes, "gene", m.notes);
    m.gene_ids = index;
    m.gene_symbols = index;
    std::vector<std::string> cols = h5_frame_columns(f, var, {var_index});
    if (!o.gene_column.empty()) {
        if (std::find(cols.begin(), cols.end(), o.gene_column) == cols.end() && o.gene_column != var_index)
            throw input_error(name, "has no gene column '" + o.gene_column + "' in " + var + " (columns: " +
                                        (cols.empty() ? "none" : join_names(cols)) + ")");
        m.gene_symbols = h5_column_text(f, var, o.gene_column, n_genes);
        m.notes.push_back(name + ": gene names from " + var + " column '" + o.gene_column + "'");
    } else {
        size_t ens = 0;
        for (const auto& g : index) ens += is_ensembl_gene_id(g);
        if (ens * 2 > index.size()) {
            for (const char* c : {"feature_name", "gene_symbols", "gene_symbol", "gene_name", "gene_names", "symbol",
                                  "Symbol", "name", "symbols"}) {
                if (std::find(cols.begin(), cols.end(), c) == cols.end()) continue;
                m.gene_symbols = h5_column_text(f, var, c, n_genes);
                m.notes.push_back(name + ": the gene index holds Ensembl ids; gene symbols taken from " + var +
                                  " column '" + c + "'");
                break;
            }
        } else if (std::find(cols.begin(), cols.end(), "gene_ids") != cols.end()) {
            std::vector<std::string> ids = h5_column_text(f, var, "gene_ids", n_genes);
            size_t e = 0;
            for (const auto& g : ids) e += is_ensembl_gene_id(g);
            if (e * 2 > ids.size()) m.gene_ids = std::move(ids);
        }
    }
    for (size_t i = 0; i < m.gene_symbols.size(); ++i)
        if (m.gene_symbols[i].empty()) m.gene_symbols[i] = m.gene_ids[i];

    // Cells.
    std::string obs_index = frame_index(f, "/obs");
    m.barcodes = index_names(f, "/obs", n_cells, "cell", m.notes);
    std::vector<std::string> skipped;
    for (const auto& c : h5_frame_columns(f, "/obs", {obs_index})) {
        ObsColumn col;
        std::string why;
        if (h5_read_column(f, "/obs", c, n_cells, col, &why)) m.obs.push_back(std::move(col));
        else skipped.push_back(c + " (" + why + ")");
    }
    if (!skipped.empty()) m.notes.push_back(name + ": obs columns not read: " + join_names(skipped));

    if (xpath == "/X" && f.exists("/raw/X"))
        m.notes.push_back(name + ": also holds .raw (raw/X); read it with the raw option");
    if (f.is_group("/layers")) {
        std::vector<std::string> layers = f.children("/layers");
        if (!layers.empty()) m.notes.push_back(name + ": layers available: " + join_names(layers));
    }
    if (o.use_raw) m.notes.push_back(name + ": read raw/X");
    if (!o.layer.empty()) m.notes.push_back(name + ": read layer '" + o.layer + "'");
    return m;
}

}  // namespace scpt::io
