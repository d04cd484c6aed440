// Reading the user's files with core's readers (core/io), so the browser and the native tool parse
// exactly alike. Bytes arrive from the worker in a ByteBuffer (filled chunk by chunk from
// File.stream(), gunzipped by the browser's DecompressionStream: the module has no zlib); HDF5 files
// are read in place through h5wasm (ValH5Source).
#pragma once
#include <emscripten/val.h>

#include <string>

#include "wasm/session.hpp"

namespace scpt::wasm {

// Bytes in the module's memory. append() copies one JS Uint8Array chunk in (one copy, no
// per-byte calls); reserve() avoids regrowth when the final size is known.
class ByteBuffer {
public:
    void append(emscripten::val chunk);
    void reserve(double bytes) { bytes_.reserve(size_t(bytes)); }
    double size() const { return double(bytes_.size()); }
    void clear() { std::string().swap(bytes_); }
    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_;
};

// names: {matrix, features, barcodes} file names for messages. Returns matrix_info().
emscripten::val read_tenx_folder(Session& s, const std::string& role, const ByteBuffer& matrix,
                                 const ByteBuffer& features, const ByteBuffer& barcodes, emscripten::val names,
                                 emscripten::val on_progress);
// CSV/TSV text (orientation guessed by core).
emscripten::val read_delimited(Session& s, const std::string& role, const ByteBuffer& bytes, const std::string& name,
                               emscripten::val on_progress);
// A lone Matrix Market file: genes and cells are numbered (core's reader, 10x orientation).
emscripten::val read_matrix_market(Session& s, const std::string& role, const ByteBuffer& bytes,
                                   const std::string& name, emscripten::val on_progress);
// HDF5 (10x .h5, .h5ad, Loom, Cell BLAST) through a JS source object (see h5_val_source.hpp).
// options: {useRaw, layer, genome, geneColumn} (all optional). Returns matrix_info() plus format.
emscripten::val read_hdf5(Session& s, const std::string& role, emscripten::val source, emscripten::val options,
                          emscripten::val on_progress);
// A labels file (barcode<TAB>label) attached to the role's matrix as the metadata column
// "labels: <name>", its rows joined to the cells as `scpt annotate --labels` does
// (annotate::labels_for_cells: exact barcodes, then the 10x GEM-well suffix). Returns {column,
// matched, lines, cells, classes, warnings}. column: which field holds the label (header name or
// 1-based number), "" for the second.
emscripten::val attach_labels(Session& s, const std::string& role, const ByteBuffer& bytes, const std::string& name,
                              const std::string& column);

// The metadata a folder carries next to its matrix, attached as the native tool does
// (tools/native/input.cpp): obs.tsv (first column = barcode, header row) as metadata columns, and
// labels.tsv (barcode<TAB>label) as the column "label". Either buffer may be null.
// Returns the notes added.
emscripten::val attach_folder_metadata(Session& s, const std::string& role, const ByteBuffer* obs,
                                       const std::string& obs_name, const ByteBuffer* labels,
                                       const std::string& labels_name);

}  // namespace scpt::wasm
