#include "core/io/mtx.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/data/cell_collector.hpp"
#include "core/io/gzip.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {
constexpr size_t kBatch = 16384;
constexpr size_t kMaxLine = 1 << 20;  // a longer line means this is not a Matrix Market file

inline const char* skip_blanks(const char* p, const char* e) {
    while (p < e && (*p == ' ' || *p == '\t')) ++p;
    return p;
}

std::string show_line(const char* b, const char* e) {
    std::string_view s(b, size_t(e - b));
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return quote(s);
}
}  // namespace

MtxParser::MtxParser(std::string what, MtxSink& sink, MtxLimits limits)
    : what_(std::move(what)), sink_(sink), limits_(limits) {
    rows_.reserve(kBatch);
    cols_.reserve(kBatch);
    vals_.reserve(kBatch);
}

void MtxParser::fail_line(const std::string& msg) const {
    throw input_error(what_, "line " + std::to_string(line_) + ": " + msg);
}

void MtxParser::flush() {
    if (!rows_.empty()) sink_.entries(rows_.data(), cols_.data(), vals_.data(), rows_.size());
    rows_.clear();
    cols_.clear();
    vals_.clear();
}

void MtxParser::line_slow(std::string_view line) {
    ++line_;
    std::string_view t = trim(line);
    if (state_ == State::Banner) {
        if (t.empty()) return;
        std::vector<std::string_view> tok;
        std::string low = to_lower(t);
        std::string_view lt(low);
        if (!starts_with(lt, "%%matrixmarket"))
            throw input_error(what_, "is not a Matrix Market file (its first line should start with "
                                     "%%MatrixMarket, found " + quote(t) + ")");
        std::vector<std::string_view> parts;
        for (size_t i = 0; i < lt.size();) {
            while (i < lt.size() && (lt[i] == ' ' || lt[i] == '\t')) ++i;
            size_t j = i;
            while (j < lt.size() && lt[j] != ' ' && lt[j] != '\t') ++j;
            if (j > i) parts.push_back(lt.substr(i, j - i));
            i = j;
        }
        if (parts.size() < 5 || parts[1] != "matrix")
            fail_line("the Matrix Market header should read '%%MatrixMarket matrix coordinate <field> general'");
        if (parts[2] == "array")
            fail_line("dense 'array' Matrix Market files are not supported; save the matrix in 'coordinate' form");
        if (parts[2] != "coordinate") fail_line("unknown Matrix Market format " + quote(parts[2]));
        if (parts[3] == "real" || parts[3] == "double") header_.field = MtxField::Real;
        else if (parts[3] == "integer") header_.field = MtxField::Integer;
        else if (parts[3] == "pattern") header_.field = MtxField::Pattern;
        else if (parts[3] == "complex") fail_line("complex values are not expression data");
        else fail_line("unknown Matrix Market field " + quote(parts[3]));
        if (parts[4] != "general")
            fail_line("only 'general' matrices are supported (this one is " + std::string(parts[4]) +
                      "), as expression matrices are never symmetric");
        state_ = State::Size;
        return;
    }
    // State::Size: comments and blank lines, then "rows cols entries".
    if (t.empty() || t[0] == '%') return;
    const char* p = t.data();
    const char* e = p + t.size();
    uint64_t v[3];
    for (int k = 0; k < 3; ++k) {
        p = skip_blanks(p, e);
        const char* q = parse_uint(p, e, v[k]);
        if (!q) fail_line("expected the size line 'rows columns entries', found " + quote(t));
        p = q;
    }
    if (skip_blanks(p, e) != e) fail_line("expected the size line 'rows columns entries', found " + quote(t));
    header_.rows = int64_t(v[0]);
    header_.cols = int64_t(v[1]);
    header_.entries = int64_t(v[2]);
    Limits::check(what_, limits_.rows_name, header_.rows, limits_.max_rows);
    Limits::check(what_, limits_.cols_name, header_.cols, limits_.max_cols);
    Limits::check(what_, "stored entries", header_.entries, limits_.max_entries);
    state_ = State::Entries;
    sink_.header(header_);
}

void MtxParser::parse_entries(const char* p, const char* end) {
    const int64_t R = header_.rows, C = header_.cols, N = header_.entries;
    const bool pattern = header_.field == MtxField::Pattern;
    const bool integer = header_.field == MtxField::Integer;
    while (p < end) {
        const char* le = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
        if (!le) le = end;
        ++line_;
        const char* q = skip_blanks(p, le);
        if (q == le || *q == '\r' || *q == '%') {  // blank or comment line
            p = le + 1;
            continue;
        }
        uint64_t r, c;
        double v = 1.0;
        const char* a = parse_uint(q, le, r);
        const char* b = a ? parse_uint(skip_blanks(a, le), le, c) : nullptr;
        if (!a || !b || skip_blanks(a, le) == a) {
            fail_line("expected 'row column" + std::string(pattern ? "" : " value") + "', found " + show_line(p, le));
        }
        q = b;
        if (!pattern) {
            const char* vs = skip_blanks(q, le);
            q = vs == q ? nullptr : parse_double(vs, le, v);
            if (!q) fail_line("expected 'row column value', found " + show_line(p, le));
        }
        q = skip_blanks(q, le);
        if (q < le && *q == '\r') ++q;
        if (q != le) fail_line("unexpected text after the entry: " + show_line(p, le));
        if (r < 1 || int64_t(r) > R)
            fail_line("row " + std::to_string(r) + " is outside 1.." + std::to_string(R));
        if (c < 1 || int64_t(c) > C)
            fail_line("column " + std::to_string(c) + " is outside 1.." + std::to_string(C));
        if (stats_.entries >= N)
            fail_line("more entries than the " + std::to_string(N) + " the size line declares");
        if (!std::isfinite(v)) fail_line("value " + show_line(p, le) + " is not a finite number");
        float f = float(v);
        if (!std::isfinite(f)) fail_line("value is too large for 32-bit floating point");
        if (v != std::floor(v)) {
            if (integer) fail_line("the header says 'integer' but this value is not an integer");
            ++stats_.non_integers;
        }
        if (stats_.entries == 0) stats_.max = stats_.min = v;
        if (v > stats_.max) stats_.max = v;
        if (v < stats_.min) stats_.min = v;
        if (v < 0) ++stats_.negatives;
        if (v == 0) ++stats_.zeros;
        ++stats_.entries;
        rows_.push_back(int32_t(r - 1));
        cols_.push_back(int32_t(c - 1));
        vals_.push_back(f);
        if (rows_.size() == kBatch) flush();
        p = le + 1;
    }
}

void MtxParser::feed(std::string_view chunk) {
    auto process = [&](const char* b, const char* e) {  // [b, e) ends just after a '\n'
        while (b < e && state_ != State::Entries) {
            const char* nl = static_cast<const char*>(std::memchr(b, '\n', size_t(e - b)));
            std::string_view line(b, size_t(nl - b));
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            line_slow(line);
            b = nl + 1;
        }
        if (b < e) parse_entries(b, e);
    };
    if (!carry_.empty()) {
        size_t nl = chunk.find('\n');
        if (nl == std::string_view::npos) {
            carry_.append(chunk);
            if (carry_.size() > kMaxLine)
                fail_line("a line longer than 1 MB follows: this is not a Matrix Market file");
            return;
        }
        carry_.append(chunk.substr(0, nl + 1));
        process(carry_.data(), carry_.data() + carry_.size());
        carry_.clear();
        chunk.remove_prefix(nl + 1);
    }
    size_t last = chunk.rfind('\n');
    if (last == std::string_view::npos) {
        carry_.assign(chunk);
        return;
    }
    process(chunk.data(), chunk.data() + last + 1);
    carry_.assign(chunk.substr(last + 1));
    if (carry_.size() > kMaxLine) fail_line("a line longer than 1 MB follows: this is not a Matrix Market file");
}

void MtxParser::finish() {
    if (!carry_.empty()) {
        carry_.push_back('\n');
        std::string last;
        last.swap(carry_);
        feed(last);
    }
    if (state_ == State::Banner) throw input_error(what_, "is empty (no Matrix Market header)");
    if (state_ == State::Size)
        throw input_error(what_, "is cut short: it ends before the size line 'rows columns entries'");
    if (stats_.entries < header_.entries)
        throw input_error(what_, "is cut short: the size line declares " + std::to_string(header_.entries) +
                                     " entries but the file ends after " + std::to_string(stats_.entries) +
                                     " (line " + std::to_string(line_) + "); the file may be truncated");
    flush();
}

// ---- MtxToCells ----

struct MtxToCells::Impl {
    std::unique_ptr<CellCollector> collector;
    int64_t file_genes = 0;
};

MtxToCells::MtxToCells(std::string what, MtxMatrixOptions o) : what_(std::move(what)), o_(o) {}
MtxToCells::~MtxToCells() = default;

void MtxToCells::header(const MtxHeader& h) {
    impl_ = std::make_unique<Impl>();
    int64_t genes = o_.genes_are_rows ? h.rows : h.cols;
    int64_t cells = o_.genes_are_rows ? h.cols : h.rows;
    impl_->file_genes = genes;
    if (o_.gene_map && int64_t(o_.gene_map->size()) != genes)
        throw input_error(what_, "declares " + std::to_string(genes) + " genes but the feature list has " +
                                     std::to_string(o_.gene_map->size()));
    int64_t kept = o_.gene_map ? o_.kept_genes : genes;
    impl_->collector = std::make_unique<CellCollector>(cells, kept);
    impl_->collector->reserve(o_.reserve_limit < 0 ? h.entries : std::min(h.entries, o_.reserve_limit));
}

void MtxToCells::entries(const int32_t* rows, const int32_t* cols, const float* values, size_t n) {
    CellCollector& c = *impl_->collector;
    const int32_t* genes = o_.genes_are_rows ? rows : cols;
    const int32_t* cells = o_.genes_are_rows ? cols : rows;
    if (o_.gene_map) {
        const int32_t* map = o_.gene_map->data();
        for (size_t k = 0; k < n; ++k) {
            int32_t g = map[genes[k]];
            if (g >= 0) c.add(cells[k], g, values[k]);
        }
    } else {
        for (size_t k = 0; k < n; ++k) c.add(cells[k], genes[k], values[k]);
    }
}

int64_t MtxToCells::finish(CellMatrix& m) {
    if (!impl_) throw input_error(what_, "has no size line");
    return impl_->collector->finish(m);
}

// ---- MtxCellStream ----

void MtxCellStream::header(const MtxHeader& h) {
    n_cells_ = genes_are_rows_ ? h.cols : h.rows;
    int64_t genes = genes_are_rows_ ? h.rows : h.cols;
    if (gene_map_ && int64_t(gene_map_->size()) != genes)
        throw input_error(what_, "declares " + std::to_string(genes) + " genes but the feature list has " +
                                     std::to_string(gene_map_->size()));
}

void MtxCellStream::emit_through(int64_t cell) {
    // Close current_, then emit every cell up to (not including) `cell`.
    if (current_ >= 0) {
        size_t n = sort_and_sum_genes(genes_.data(), values_.data(), genes_.size(), &duplicates_);
        on_cell_(current_, genes_.data(), values_.data(), n);
        genes_.clear();
        values_.clear();
        next_ = current_ + 1;
    }
    for (; next_ < cell; ++next_) on_cell_(next_, nullptr, nullptr, 0);
}

void MtxCellStream::entries(const int32_t* rows, const int32_t* cols, const float* values, size_t n) {
    const int32_t* genes = genes_are_rows_ ? rows : cols;
    const int32_t* cells = genes_are_rows_ ? cols : rows;
    for (size_t k = 0; k < n; ++k) {
        int64_t c = cells[k];
        if (c != current_) {
            if (c < current_)
                throw input_error(what_, "entries are not sorted by cell (cell " + std::to_string(c + 1) +
                                             " comes after cell " + std::to_string(current_ + 1) +
                                             "); read the whole file instead of streaming it");
            emit_through(c);
            current_ = c;
        }
        int32_t g = gene_map_ ? (*gene_map_)[size_t(genes[k])] : genes[k];
        if (g < 0) continue;
        genes_.push_back(g);
        values_.push_back(values[k]);
    }
}

void MtxCellStream::finish() {
    emit_through(n_cells_);
    current_ = -1;
}

// ---- read_mtx ----

int64_t mtx_entry_bound(std::string_view bytes) {
    return is_gzip(bytes) ? int64_t(bytes.size()) * 2 : int64_t(bytes.size()) / 4 + 1;
}

CellMatrix read_mtx(std::string_view bytes, const std::string& what, const MtxMatrixOptions& options,
                    const Limits& limits, const RunControl* control) {
    MtxMatrixOptions o = options;
    if (o.reserve_limit < 0) o.reserve_limit = mtx_entry_bound(bytes);
    MtxToCells sink(what, o);
    MtxLimits ml;
    ml.max_rows = o.genes_are_rows ? limits.max_genes : limits.max_cells;
    ml.max_cols = o.genes_are_rows ? limits.max_cells : limits.max_genes;
    if (!o.genes_are_rows) {
        ml.rows_name = "cells (rows)";
        ml.cols_name = "genes (columns)";
    }
    ml.max_entries = limits.max_nonzeros;
    MtxParser parser(what, sink, ml);
    constexpr size_t kStep = size_t(4) << 20;
    auto progress = [&](size_t done) {
        if (!control) return;
        control->check_cancel();
        control->report({"read", bytes.empty() ? 1.0 : double(done) / double(bytes.size()), what, 0});
    };
    if (is_gzip(bytes)) {
        GzipInflater inf(what, INT64_MAX);  // streamed: the text is never held whole
        for (size_t pos = 0; pos < bytes.size(); pos += kStep) {
            inf.feed(bytes.substr(pos, kStep), [&](std::string_view piece) { parser.feed(piece); });
            progress(std::min(bytes.size(), pos + kStep));
        }
        inf.finish();
    } else {
        for (size_t pos = 0; pos < bytes.size(); pos += kStep) {
            parser.feed(bytes.substr(pos, kStep));
            progress(std::min(bytes.size(), pos + kStep));
        }
    }
    parser.finish();
    CellMatrix m;
    int64_t dups = sink.finish(m);
    const MtxStats& st = parser.stats();
    if (dups > 0)
        m.notes.push_back(what + ": " + std::to_string(dups) + " duplicate entries for the same gene and cell were summed");
    if (st.negatives > 0)
        m.notes.push_back(what + ": " + std::to_string(st.negatives) +
                          " negative values: the matrix looks scaled (z-scores), not expression levels");
    return m;
}

CellMatrix read_lone_mtx(std::string_view bytes, const std::string& what, const MtxMatrixOptions& o,
                         const Limits& limits, const RunControl* control) {
    CellMatrix m = read_mtx(bytes, what, o, limits, control);
    for (int64_t g = 0; g < m.n_genes; ++g) m.gene_symbols.push_back("gene" + std::to_string(g + 1));
    m.gene_ids = m.gene_symbols;
    for (int64_t c = 0; c < m.n_cells; ++c) m.barcodes.push_back("cell" + std::to_string(c + 1));
    m.notes.push_back(what + ": no features.tsv/genes.tsv or barcodes.tsv with it: genes and cells are numbered, "
                             "so genes cannot be matched to a model");
    return m;
}

}  // namespace scpt::io
