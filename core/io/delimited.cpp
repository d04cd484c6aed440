#include "core/io/delimited.hpp"

#include <cmath>
#include <cstring>

#include "core/data/gene_names.hpp"
#include "core/io/gzip.hpp"
#include "core/io/table.hpp"
#include "core/io/text.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {

std::string show(std::string_view s) { return quote(s); }

// Row-major sparse storage of the file's rows as parsed.
struct RowSparse {
    std::vector<int64_t> ptr{0};
    std::vector<int32_t> col;
    std::vector<float> val;
};

void transpose(const RowSparse& in, int64_t ncols, CellMatrix& m) {
    int64_t nrows = int64_t(in.ptr.size()) - 1;
    m.indptr.assign(size_t(ncols) + 1, 0);
    for (int32_t c : in.col) ++m.indptr[size_t(c) + 1];
    for (int64_t c = 0; c < ncols; ++c) m.indptr[size_t(c) + 1] += m.indptr[size_t(c)];
    m.indices.resize(in.col.size());
    m.values.resize(in.col.size());
    std::vector<int64_t> next(m.indptr.begin(), m.indptr.end() - 1);
    for (int64_t r = 0; r < nrows; ++r)  // rows in order: indices come out ascending
        for (int64_t k = in.ptr[size_t(r)]; k < in.ptr[size_t(r) + 1]; ++k) {
            int64_t at = next[size_t(in.col[size_t(k)])]++;
            m.indices[size_t(at)] = int32_t(r);
            m.values[size_t(at)] = in.val[size_t(k)];
        }
}

}  // namespace

CellMatrix read_delimited(std::string_view bytes, const std::string& what, const ReadOptions& o) {
    std::string store;
    std::string_view text = gunzip_if_gzip(bytes, what, o.limits.max_inflated_bytes, store) ? std::string_view(store) : bytes;
    const char sep = sniff_separator(text);
    const int64_t max_axis = std::max(o.limits.max_cells, o.limits.max_genes);

    std::vector<std::string> header, row_names;
    RowSparse rs;
    size_t width = 0;  // fields per data row
    int64_t negatives = 0;
    std::vector<std::string> qfields;
    std::vector<std::string_view> vfields;
    bool have_header = false;
    int64_t first_data_line = 0;
    size_t pos = 0;
    int64_t line_no = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(pos, end - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (trim(line).empty()) continue;
        if (!have_header) {
            if (!split_quoted(line, sep, qfields))
                throw input_error(what, "line " + std::to_string(line_no) + ": a quoted field is not closed");
            for (auto& f : qfields) header.emplace_back(trim(f));
            have_header = true;
            continue;
        }
        // Row name (maybe quoted), then numbers.
        if (line[0] == '"' || line.find('"') != std::string_view::npos) {
            if (!split_quoted(line, sep, qfields))
                throw input_error(what, "line " + std::to_string(line_no) + ": a quoted field is not closed");
            vfields.clear();
            for (auto& f : qfields) vfields.push_back(f);
        } else {
            split(line, sep, vfields);
        }
        if (width == 0) {
            width = vfields.size();
            first_data_line = line_no;
            if (width < 2) throw input_error(what, "line " + std::to_string(line_no) + " has a single field: no expression values (is the separator right?)");
            if (header.size() != width && header.size() + 1 != width)
                throw input_error(what, "the header (line 1) has " + std::to_string(header.size()) + " fields but line " +
                                            std::to_string(line_no) + " has " + std::to_string(width) +
                                            ": rows must have one field per column name (plus the row name)");
            Limits::check(what, "columns", int64_t(width) - 1, max_axis);
        } else if (vfields.size() != width) {
            throw input_error(what, "line " + std::to_string(line_no) + " has " + std::to_string(vfields.size()) +
                                        " fields, expected " + std::to_string(width) + " like line " +
                                        std::to_string(first_data_line) + " (a ragged row: the file may be cut or malformed)");
        }
        row_names.emplace_back(trim(vfields[0]));
        Limits::check(what, "rows", int64_t(row_names.size()), max_axis);
        for (size_t k = 1; k < width; ++k) {
            std::string_view f = vfields[k];
            double v;
            const char* b = f.data();
            const char* e = b + f.size();
            while (b < e && (*b == ' ')) ++b;
            while (e > b && (e[-1] == ' ')) --e;
            const char* stop = b < e ? parse_double(b, e, v) : nullptr;
            if (stop != e || !std::isfinite(v))
                throw input_error(what, "line " + std::to_string(line_no) + ", column " + std::to_string(k + 1) + ": " +
                                            show(f) + " is not a number" +
                                            (is_missing_text(f) ? " (missing values are not allowed in an expression matrix)" : ""));
            if (v == 0) continue;
            if (v < 0) ++negatives;
            rs.col.push_back(int32_t(k - 1));
            rs.val.push_back(float(v));
        }
        rs.ptr.push_back(int64_t(rs.col.size()));
        if (int64_t(rs.col.size()) > o.limits.max_nonzeros)
            Limits::check(what, "non-zero values", int64_t(rs.col.size()), o.limits.max_nonzeros);
        if (o.control && (row_names.size() & 1023) == 0) {
            o.control->check_cancel();
            o.control->report({"read", double(pos) / double(text.size()), what, 0});
        }
    }
    if (!have_header) throw input_error(what, "is empty");
    if (row_names.empty()) throw input_error(what, "has a header but no data rows");
    std::vector<std::string> col_names(header.end() - int64_t(width - 1), header.end());

    CellMatrix m;
    bool genes_are_rows;
    if (o.orientation == Orientation::Auto) {
        AxisGuess g = guess_gene_axis(row_names, col_names);
        genes_are_rows = g.genes_are_rows;
        m.notes.push_back(what + ": read as " + (genes_are_rows ? "genes x cells (genes in rows)" : "cells x genes (cells in rows)") +
                          " because " + g.reason + (g.confident ? "" : "; choose the orientation explicitly if this is wrong"));
    } else {
        genes_are_rows = o.orientation == Orientation::GenesAreRows;
    }
    int64_t nrows = int64_t(row_names.size()), ncols = int64_t(col_names.size());
    if (genes_are_rows) {
        Limits::check(what, "genes", nrows, o.limits.max_genes);
        Limits::check(what, "cells", ncols, o.limits.max_cells);
        transpose(rs, ncols, m);
        m.n_cells = ncols;
        m.n_genes = nrows;
        m.gene_symbols = std::move(row_names);
        m.barcodes = std::move(col_names);
    } else {
        Limits::check(what, "cells", nrows, o.limits.max_cells);
        Limits::check(what, "genes", ncols, o.limits.max_genes);
        m.n_cells = nrows;
        m.n_genes = ncols;
        m.indptr = std::move(rs.ptr);
        m.indices = std::move(rs.col);
        m.values = std::move(rs.val);
        m.gene_symbols = std::move(col_names);
        m.barcodes = std::move(row_names);
    }
    m.gene_ids = m.gene_symbols;
    if (negatives > 0)
        m.notes.push_back(what + ": " + std::to_string(negatives) +
                          " negative values: the matrix looks scaled (z-scores), not expression levels");
    return m;
}

}  // namespace scpt::io
