// A 10x matrix folder (or a matrix.mtx[.gz] with features/barcodes next to it) read from disk a
// chunk of cells at a time, for queries too large to hold whole (1M cells): the matrix file is
// read in blocks and fed to core's TenxCellStream, so memory holds one chunk of cells, never the
// file or all its non-zeros. Needs a cells-sorted matrix (as Cell Ranger writes it); other orders
// raise the stream's InputError, and the caller reads the folder whole instead.
#pragma once
#include <functional>
#include <string>

#include "core/data/cell_matrix.hpp"
#include "core/io/read_options.hpp"

namespace scpt::native {

struct TenxPaths {
    std::string matrix, features, barcodes;
};
// True when `path` is a folder with matrix.mtx[.gz], features.tsv or genes.tsv, and barcodes.tsv
// (each plain or .gz), or a matrix.mtx[.gz] file with those next to it; fills *out.
bool find_tenx_files(const std::string& path, TenxPaths* out);

struct TenxStreamOptions {
    io::ReadOptions read;
    int64_t chunk_cells = 4096;  // cells per chunk handed on
    size_t block_bytes = 4 << 20;  // bytes read from the matrix file at a time
};

// on_chunk(chunk, first): `chunk` holds cells [first, first + chunk.n_cells) with their barcodes
// and the folder's genes (kept genes only, as read_input keeps them).
using ChunkFn = std::function<void(const CellMatrix& chunk, int64_t first)>;

// Streams every cell; returns the number of cells. `on_genes` (may be empty) is called once before
// the first chunk with a zero-cell matrix holding the genes and the reader's notes, and the number
// of cells barcodes.tsv lists.
int64_t stream_tenx_files(const TenxPaths& paths, const TenxStreamOptions& o,
                             const std::function<void(const CellMatrix& genes, int64_t cells)>& on_genes, const ChunkFn& on_chunk);

}  // namespace scpt::native
