// libFuzzer target: 10x folders (matrix.mtx, features.tsv, barcodes.tsv; each plain or gzip), read
// whole (read_tenx_folder) and streamed cell by cell (TenxCellStream, random chunks).
// Oracle: an accepted matrix is valid with one name per gene and cell; the stream never accepts
// what the whole read refuses, refuses what it accepts only for the documented reasons, and when
// both accept they give the same cells and the same notes (the page streams, the CLI reads whole).
// Input: bytes 0-1 and 2-3 = lengths of features and barcodes (little-endian, modulo what is
// left), byte 4 = chunking seed, then features, barcodes, matrix.
#include "core/io/tenx_folder.hpp"
#include "core/io/tenx_stream.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fuzz_util.hpp"

using namespace scpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 5) return 0;
    std::string_view rest = fuzz::bytes_of(data + 5, size - 5);
    size_t nf = (data[0] | size_t(data[1]) << 8) % (rest.size() + 1);
    std::string_view features = rest.substr(0, nf);
    rest.remove_prefix(nf);
    size_t nb = (data[2] | size_t(data[3]) << 8) % (rest.size() + 1);
    std::string_view barcodes = rest.substr(0, nb);
    std::string_view matrix = rest.substr(nb);
    io::ReadOptions o;
    o.limits = fuzz::small_limits();
    o.keep_all_features = data[4] & 0x80;
    io::TenxFolderInput in{matrix, features, barcodes};

    bool whole_ok = true;
    CellMatrix whole;
    try {
        whole = io::read_tenx_folder(in, o);
        if (int64_t(whole.barcodes.size()) != whole.n_cells || int64_t(whole.gene_symbols.size()) != whole.n_genes)
            fuzz::fail("names do not match the dimensions");
        try {
            whole.validate("folder");
        } catch (const InputError&) {
            fuzz::fail("read_tenx_folder returned an invalid matrix");
        }
    } catch (const InputError&) {
        whole_ok = false;
    }

    CsrBuilder cells(whole.n_cells, whole.n_genes);
    int64_t emitted = 0;
    bool stream_ok = true;
    std::string stream_error;
    std::vector<std::string> stream_notes;
    try {
        io::TenxCellStream s(in, o, [&](int64_t c, const int32_t* g, const float* v, size_t n) {
            if (c != emitted++) fuzz::fail("cells out of order");
            if (whole_ok)
                for (size_t k = 0; k < n; ++k) cells.add(c, g[k], v[k]);
        });
        size_t pos = 0;
        for (size_t n : fuzz::splits(matrix.size(), data[4])) {
            s.feed(matrix.substr(pos, n));
            pos += n;
        }
        s.finish();
        stream_notes = s.notes();
    } catch (const InputError& e) {
        stream_ok = false;
        stream_error = e.what();
    }
    // The stream refuses only what it documents it cannot do that the whole read can: files not
    // sorted by cell, the transposed layout, and lists with a header line (the whole read drops it).
    if (whole_ok && !stream_ok && stream_error.find("not sorted by cell") == std::string::npos &&
        stream_error.find("transposed") == std::string::npos && stream_error.find("do not belong together") == std::string::npos)
        fuzz::fail("the stream refused a folder the whole read accepts", stream_error);
    if (stream_ok && !whole_ok) fuzz::fail("the stream accepted a folder the whole read refuses");
    if (stream_ok && whole_ok) {
        CellMatrix m;
        cells.finish(m);
        if (emitted != whole.n_cells || m.indptr != whole.indptr || m.indices != whole.indices || m.values != whole.values)
            fuzz::fail("streamed and whole reads give different cells");
        // The page streams, the CLI reads whole: the user must be told the same things.
        if (stream_notes != whole.notes) fuzz::fail("streamed and whole reads give different notes");
    }
    return 0;
}
