#include "tools/native/tenx_file_stream.hpp"

#include <fstream>

#include "core/io/tenx_stream.hpp"
#include "core/util/error.hpp"
#include "tools/native/files.hpp"

namespace scpt::native {

namespace {

// The stored (small) file, read whole: features and barcodes.
std::string slurp(const std::string& p) { return read_file(p); }

}  // namespace

bool find_tenx_files(const std::string& path, TenxPaths* out) {
    if (!exists(path)) return false;
    std::string dir, prefix;
    TenxPaths t;
    if (is_directory(path)) {
        dir = path;
        t.matrix = find_in(dir, "matrix.mtx");
    } else {
        const std::string base = base_name(path);
        const size_t at = base.find("matrix.mtx");
        if (at == std::string::npos) return false;
        const size_t s = path.find_last_of('/');
        dir = s == std::string::npos ? std::string(".") : path.substr(0, s);
        prefix = base.substr(0, at);
        t.matrix = path;
    }
    if (t.matrix.empty()) return false;
    for (const std::string& p : {prefix, std::string()}) {
        if (t.features.empty()) t.features = find_in(dir, p + "features.tsv");
        if (t.features.empty()) t.features = find_in(dir, p + "genes.tsv");
        if (t.barcodes.empty()) t.barcodes = find_in(dir, p + "barcodes.tsv");
    }
    if (t.features.empty() || t.barcodes.empty()) return false;
    if (out) *out = t;
    return true;
}

int64_t stream_tenx_files(const TenxPaths& paths, const TenxStreamOptions& o,
                          const std::function<void(const CellMatrix& genes, int64_t cells)>& on_genes, const ChunkFn& on_chunk) {
    const std::string fb = slurp(paths.features), bb = slurp(paths.barcodes);
    io::TenxFolderInput in;
    in.features = fb;
    in.barcodes = bb;
    in.matrix_name = paths.matrix;
    in.features_name = paths.features;
    in.barcodes_name = paths.barcodes;

    const int64_t chunk_cells = std::max<int64_t>(1, o.chunk_cells);
    CellMatrix chunk;
    int64_t first = 0, total = 0;
    const std::vector<std::string>* barcodes = nullptr;
    auto reset = [&](int64_t at) {
        first = at;
        chunk.n_cells = 0;
        chunk.indptr.assign(1, 0);
        chunk.indices.clear();
        chunk.values.clear();
        chunk.barcodes.clear();
    };
    auto flush = [&] {
        if (chunk.n_cells == 0) return;
        chunk.barcodes.assign(barcodes->begin() + first, barcodes->begin() + first + chunk.n_cells);
        const int64_t next = first + chunk.n_cells;
        on_chunk(chunk, first);
        reset(next);
    };
    reset(0);
    io::TenxCellStream stream(in, o.read, [&](int64_t cell, const int32_t* genes, const float* values, size_t n) {
        if (cell != first + chunk.n_cells) throw std::logic_error("tenx stream: cells out of order");
        chunk.indices.insert(chunk.indices.end(), genes, genes + n);
        chunk.values.insert(chunk.values.end(), values, values + n);
        chunk.indptr.push_back(int64_t(chunk.indices.size()));
        ++chunk.n_cells;
        ++total;
        if (chunk.n_cells >= chunk_cells) flush();
    });
    barcodes = &stream.barcodes();
    // The chunk's gene lists, and the genes-only matrix for the caller's plan.
    chunk.gene_ids = stream.gene_ids();
    chunk.gene_symbols = stream.gene_symbols();
    chunk.n_genes = int64_t(chunk.gene_ids.size());
    if (on_genes) {
        CellMatrix genes;
        genes.n_genes = chunk.n_genes;
        genes.indptr.assign(1, 0);
        genes.gene_ids = chunk.gene_ids;
        genes.gene_symbols = chunk.gene_symbols;
        genes.notes = stream.notes();
        on_genes(genes, int64_t(barcodes->size()));
    }

    std::ifstream f(paths.matrix, std::ios::binary);
    if (!f) throw input_error(paths.matrix, "cannot be opened");
    std::string block(o.block_bytes, '\0');
    while (f) {
        if (o.read.control) o.read.control->check_cancel();
        f.read(&block[0], std::streamsize(block.size()));
        const std::streamsize got = f.gcount();
        if (got <= 0) break;
        stream.feed(std::string_view(block.data(), size_t(got)));
    }
    if (f.bad()) throw input_error(paths.matrix, "could not be read to the end");
    stream.finish();
    flush();
    return total;
}

}  // namespace scpt::native
