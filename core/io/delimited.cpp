#include "core/io/delimited.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/data/gene_names.hpp"
#include "core/io/line_stream.hpp"
#include "core/io/table.hpp"
#include "core/util/text.hpp"
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

// Walks the fields of one line without storing them; a quoted field ("a,b" or "say ""hi""") is
// unquoted into a scratch buffer, like split_quoted() in text.hpp (text after a closing quote kept).
class FieldCursor {
public:
    FieldCursor(std::string_view line, char sep) : line_(line), sep_(sep) {}
    // The next field, or false after the last. Throws nothing: bad_quote() tells about an open quote.
    bool next(std::string_view& out) {
        if (done_) return false;
        const size_t n = line_.size();
        if (pos_ < n && line_[pos_] == '"') {
            scratch_.clear();
            size_t i = pos_ + 1;
            for (;;) {
                if (i >= n) { bad_quote_ = true, done_ = true; return false; }
                if (line_[i] == '"') {
                    if (i + 1 < n && line_[i + 1] == '"') { scratch_.push_back('"'), i += 2; continue; }
                    ++i;
                    break;
                }
                scratch_.push_back(line_[i++]);
            }
            while (i < n && line_[i] != sep_) scratch_.push_back(line_[i++]);
            out = scratch_;
            pos_ = i;
        } else {
            size_t at = line_.find(sep_, pos_);
            size_t e = at == std::string_view::npos ? n : at;
            out = line_.substr(pos_, e - pos_);
            pos_ = e;
        }
        if (pos_ >= n) done_ = true;
        else ++pos_;  // the separator
        return true;
    }
    bool bad_quote() const { return bad_quote_; }

private:
    std::string_view line_;
    char sep_;
    size_t pos_ = 0;
    bool done_ = false, bad_quote_ = false;
    std::string scratch_;
};

int64_t count_fields(std::string_view line, char sep, bool& bad_quote) {
    FieldCursor f(line, sep);
    std::string_view x;
    int64_t n = 0;
    while (f.next(x)) ++n;
    bad_quote = f.bad_quote();
    return n;
}

}  // namespace

CellMatrix read_delimited(std::string_view bytes, const std::string& what, const ReadOptions& o) {
    const int64_t max_axis = std::max(o.limits.max_cells, o.limits.max_genes);
    char sep = 0;
    std::vector<std::string> header, row_names;
    RowSparse rs;
    int64_t width = 0;  // fields per data row
    int64_t negatives = 0;
    bool have_header = false;
    int64_t first_data_line = 0;
    double fraction = 0;
    auto quote_error = [&](int64_t line_no) {
        return input_error(what, "line " + std::to_string(line_no) + ": a quoted field is not closed");
    };
    auto on_line = [&](std::string_view line, int64_t line_no) {
        if (trim(line).empty()) return;
        if (!have_header) {
            sep = sniff_line_separator(line);
            // Count before storing: a header may declare millions of columns in a few megabytes.
            Limits::check(what, "columns", int64_t(std::count(line.begin(), line.end(), sep)) + 1, max_axis + 1);
            FieldCursor f(line, sep);
            for (std::string_view x; f.next(x);) header.emplace_back(trim(x));
            if (f.bad_quote()) throw quote_error(line_no);
            have_header = true;
            return;
        }
        if (width == 0) {
            bool bad = false;
            width = count_fields(line, sep, bad);
            if (bad) throw quote_error(line_no);
            first_data_line = line_no;
            if (width < 2) throw input_error(what, "line " + std::to_string(line_no) + " has a single field: no expression values (is the separator right?)");
            if (int64_t(header.size()) != width && int64_t(header.size()) + 1 != width)
                throw input_error(what, "the header (line 1) has " + std::to_string(header.size()) + " fields but line " +
                                            std::to_string(line_no) + " has " + std::to_string(width) +
                                            ": rows must have one field per column name (plus the row name)");
        }
        FieldCursor f(line, sep);
        std::string_view field;
        f.next(field);
        row_names.emplace_back(trim(field));
        Limits::check_count(what, "rows", int64_t(row_names.size()), max_axis);
        int64_t k = 1;
        for (; f.next(field); ++k) {
            if (k >= width) {  // one field too many: stop parsing, report the count below
                ++k;
                break;
            }
            double v;
            const char* b = field.data();
            const char* e = b + field.size();
            while (b < e && (*b == ' ')) ++b;
            while (e > b && (e[-1] == ' ')) --e;
            const char* stop = b < e ? parse_double(b, e, v) : nullptr;
            if (stop != e || !std::isfinite(v))
                throw input_error(what, "line " + std::to_string(line_no) + ", column " + std::to_string(k + 1) + ": " +
                                            show(field) + " is not a number" +
                                            (is_missing_text(field) ? " (missing values are not allowed in an expression matrix)" : ""));
            if (v == 0) continue;
            if (v < 0) ++negatives;
            const float f32 = float(v);
            if (!std::isfinite(f32))  // finite as a double, not as the float the matrix stores
                throw input_error(what, "line " + std::to_string(line_no) + ", column " + std::to_string(k + 1) + ": " +
                                            show(field) + " is too large for 32-bit floating point");
            rs.col.push_back(int32_t(k - 1));
            rs.val.push_back(f32);
        }
        if (f.bad_quote()) throw quote_error(line_no);
        if (k != width) {
            bool bad = false;
            int64_t n = count_fields(line, sep, bad);
            throw input_error(what, "line " + std::to_string(line_no) + " has " + std::to_string(n) +
                                        " fields, expected " + std::to_string(width) + " like line " +
                                        std::to_string(first_data_line) + " (a ragged row: the file may be cut or malformed)");
        }
        rs.ptr.push_back(int64_t(rs.col.size()));
        if (int64_t(rs.col.size()) > o.limits.max_nonzeros)
            Limits::check_count(what, "non-zero values", int64_t(rs.col.size()), o.limits.max_nonzeros);
        if (o.control && (row_names.size() & 1023) == 0) {
            o.control->check_cancel();
            o.control->report({"read", fraction, what, 0});
        }
    };
    for_each_text_line(bytes, what, o.limits, on_line, [&](double f) { fraction = f; });
    if (!have_header) throw input_error(what, "is empty");
    if (row_names.empty()) throw input_error(what, "has a header but no data rows");
    std::vector<std::string> col_names(header.end() - (width - 1), header.end());

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
