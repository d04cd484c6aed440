// libFuzzer target: the Matrix Market reader, whole (read_mtx) and incremental (MtxParser fed the
// same bytes cut into random chunks, through GzipInflater when gzipped). Oracle: both paths agree
// (same error message, or the same matrix; for gzip, both fail or neither), and an accepted matrix is structurally valid.
// Input: byte 0 = orientation (bit 0), byte 1 = chunking seed, the rest = the file.
#include "core/io/gzip.hpp"
#include "core/io/mtx.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fuzz_util.hpp"

using namespace scpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const Limits lim = fuzz::small_limits();
    io::MtxMatrixOptions o;
    o.genes_are_rows = (data[0] & 1) == 0;
    const std::string_view bytes = fuzz::bytes_of(data + 2, size - 2);

    std::string whole_error;
    CellMatrix whole;
    try {
        whole = io::read_mtx(bytes, "m.mtx", o, lim);
        whole.gene_symbols.assign(size_t(whole.n_genes), "g");
        whole.gene_ids = whole.gene_symbols;
        whole.barcodes.assign(size_t(whole.n_cells), "c");
        try {
            whole.validate("m.mtx");
        } catch (const InputError&) {
            fuzz::fail("read_mtx returned an invalid matrix");
        }
    } catch (const InputError& e) {
        whole_error = e.what();
    }

    std::string part_error;
    CellMatrix part;
    try {
        io::MtxMatrixOptions po = o;
        po.reserve_limit = io::mtx_entry_bound(bytes);
        io::MtxToCells sink("m.mtx", po);
        io::MtxLimits ml;  // as read_mtx sets them
        ml.max_rows = o.genes_are_rows ? lim.max_genes : lim.max_cells;
        ml.max_cols = o.genes_are_rows ? lim.max_cells : lim.max_genes;
        if (!o.genes_are_rows) ml.rows_name = "cells (rows)", ml.cols_name = "genes (columns)";
        ml.max_entries = lim.max_nonzeros;
        io::MtxParser parser("m.mtx", sink, ml);
        const bool gz = io::is_gzip(bytes);
        io::GzipInflater inf("m.mtx", INT64_MAX);
        size_t pos = 0;
        for (size_t n : fuzz::splits(bytes.size(), data[1])) {
            if (gz) inf.feed(bytes.substr(pos, n), [&](std::string_view piece) { parser.feed(piece); });
            else parser.feed(bytes.substr(pos, n));
            pos += n;
        }
        if (gz) inf.finish();
        parser.finish();
        sink.finish(part);
    } catch (const InputError& e) {
        part_error = e.what();
    }
    // gzip: a corrupt stream is noticed at its checksum, after the parser may have seen (and
    // refused) part of the corrupt text: then both must fail, with any message.
    const bool same = io::is_gzip(bytes) ? whole_error.empty() == part_error.empty() : whole_error == part_error;
    if (!same) fuzz::fail("whole and chunked reads disagree on the error", "whole: " + whole_error + "\nchunked: " + part_error);
    if (whole_error.empty() &&
        (whole.n_cells != part.n_cells || whole.n_genes != part.n_genes || whole.indptr != part.indptr ||
         whole.indices != part.indices || whole.values != part.values))
        fuzz::fail("whole and chunked reads give different matrices");
    return 0;
}
