// Matrix Market (coordinate) reader. The parser is incremental: feed it chunks of bytes as they
// arrive (from a file, a gzip stream, a browser File slice) and it pushes batches of entries to a
// sink, so a 1M-cell file never needs to sit in memory as text. 10x convention: rows are GENES,
// columns are CELLS.
//
// Accepted: `%%MatrixMarket matrix coordinate {real|double|integer|pattern} general`.
// Refused with a message: array (dense) and symmetric/skew/hermitian layouts, complex values.
// Checks: the size line against limits BEFORE anything is allocated, 1-based indices in range,
// entry count against the size line (too many: error at that line; too few: "cut short"), values
// that are NaN/inf (error, with the line), non-integers in an `integer` file (error).
// Negative values are ACCEPTED and counted (MtxStats::negatives): scaled data (z-scores) is a
// legitimate matrix, and detect_value_kind() plus the transform decide what to do about it.
// Duplicate (row, col) entries are passed through; CellCollector sums them and the reader notes it.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/util/limits.hpp"
#include "core/util/run_control.hpp"

namespace scpt::io {

enum class MtxField { Real, Integer, Pattern };

struct MtxHeader {
    int64_t rows = 0, cols = 0, entries = 0;
    MtxField field = MtxField::Real;
};

struct MtxStats {
    int64_t entries = 0;    // entries read so far
    int64_t negatives = 0;  // entries < 0
    int64_t zeros = 0;      // explicitly stored zeros
    int64_t non_integers = 0;
    double max = 0, min = 0;  // over entries read (0 when none)
};

// Receives the header once, then batches of 0-based entries in file order.
class MtxSink {
public:
    virtual ~MtxSink() = default;
    virtual void header(const MtxHeader&) {}
    virtual void entries(const int32_t* rows, const int32_t* cols, const float* values, size_t n) = 0;
};

struct MtxLimits {
    int64_t max_rows = Limits{}.max_genes;
    int64_t max_cols = Limits{}.max_cells;
    int64_t max_entries = Limits{}.max_nonzeros;
    const char* rows_name = "genes (rows)";
    const char* cols_name = "cells (columns)";
};

class MtxParser {
public:
    // `what` names the file in messages ("matrix.mtx.gz").
    MtxParser(std::string what, MtxSink& sink, MtxLimits limits = {});
    // Feed any number of chunks (any split, even inside a line or a number).
    void feed(std::string_view chunk);
    // End of input: parses a last unterminated line, checks the entry count, flushes the sink.
    void finish();

    bool has_header() const { return state_ == State::Entries; }
    const MtxHeader& header() const { return header_; }
    const MtxStats& stats() const { return stats_; }
    int64_t line() const { return line_; }

private:
    enum class State { Banner, Size, Entries };
    void line_slow(std::string_view line);
    void parse_entries(const char* p, const char* end);
    [[noreturn]] void fail_line(const std::string& msg) const;
    void flush();

    std::string what_;
    MtxSink& sink_;
    MtxLimits limits_;
    State state_ = State::Banner;
    MtxHeader header_;
    MtxStats stats_;
    int64_t line_ = 0;  // number of the last line processed
    std::string carry_; // an incomplete last line
    std::vector<int32_t> rows_, cols_;
    std::vector<float> vals_;
};

// Turns parsed entries into a CellMatrix's CSR arrays (no names).
struct MtxMatrixOptions {
    bool genes_are_rows = true;             // 10x convention; false: rows are cells
    // Optional map from the file's gene index to the kept gene index (-1: drop that feature);
    // used to set aside antibody-capture rows. Size must equal the file's gene count.
    const std::vector<int32_t>* gene_map = nullptr;
    int64_t kept_genes = -1;                // number of kept genes when gene_map is given
    // At most this many entries are reserved up front (-1: the size line's count). A size line may
    // declare 400 million entries in a 40-byte file; see mtx_entry_bound().
    int64_t reserve_limit = -1;
};

// How many entries a Matrix Market file of these bytes can hold, for MtxMatrixOptions::reserve_limit:
// plain text needs at least 4 bytes per entry ("1 1\n"); gzip is bounded by twice its size, which
// real files stay under (10x matrices take ~3 compressed bytes per entry); past it vectors just grow.
int64_t mtx_entry_bound(std::string_view bytes);

class MtxToCells : public MtxSink {
public:
    explicit MtxToCells(std::string what, MtxMatrixOptions o = {});
    ~MtxToCells() override;
    void header(const MtxHeader& h) override;
    void entries(const int32_t* rows, const int32_t* cols, const float* values, size_t n) override;
    // Moves the CSR into m; returns the number of duplicate entries that were summed.
    int64_t finish(CellMatrix& m);

private:
    std::string what_;
    MtxMatrixOptions o_;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Streams cells as soon as they are complete, for files sorted by cell (10x files are). Calls
// on_cell(cell, genes, values, n) once per cell in order (empty cells too), genes ascending and
// duplicates summed. Throws InputError when an entry goes back to an earlier cell.
class MtxCellStream : public MtxSink {
public:
    using CellFn = std::function<void(int64_t cell, const int32_t* genes, const float* values, size_t n)>;
    // gene_map (optional, owned by the caller): file gene index -> kept index or -1 (dropped).
    MtxCellStream(std::string what, CellFn on_cell, bool genes_are_rows = true,
                  const std::vector<int32_t>* gene_map = nullptr)
        : what_(std::move(what)), on_cell_(std::move(on_cell)), genes_are_rows_(genes_are_rows), gene_map_(gene_map) {}
    void header(const MtxHeader& h) override;
    void entries(const int32_t* rows, const int32_t* cols, const float* values, size_t n) override;
    // Emits the last cell and any trailing empty cells.
    void finish();
    int64_t duplicates() const { return duplicates_; }

private:
    void emit_through(int64_t cell);
    std::string what_;
    CellFn on_cell_;
    bool genes_are_rows_;
    const std::vector<int32_t>* gene_map_;
    int64_t n_cells_ = 0, next_ = 0, current_ = -1, duplicates_ = 0;
    std::vector<int32_t> genes_;
    std::vector<float> values_;
};

// Convenience: a whole Matrix Market file (plain or gzip) to a CellMatrix with placeholder-free
// CSR (gene/cell names left empty for the caller). Notes duplicates and negative values.
// `control` (optional) gets "read" progress and is polled for cancel.
CellMatrix read_mtx(std::string_view bytes, const std::string& what, const MtxMatrixOptions& o = {},
                    const Limits& limits = {}, const RunControl* control = nullptr);

// read_mtx of a file that came without its features.tsv and barcodes.tsv: genes are named gene1,
// gene2..., cells cell1, cell2..., and a note says the genes cannot be matched to a model.
CellMatrix read_lone_mtx(std::string_view bytes, const std::string& what, const MtxMatrixOptions& o = {},
                         const Limits& limits = {}, const RunControl* control = nullptr);

}  // namespace scpt::io
