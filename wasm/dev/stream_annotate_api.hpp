// Annotating a query too large to hold in a tab (1M cells): fit on the session's reference (its
// labels in a metadata column), then the query's 10x matrix bytes are fed in pieces of any size
// (plain or gzip) and its cells are labelled a chunk at a time as they complete. Memory holds the
// reference, the classifier, one chunk, and per cell a label and a confidence (and, when asked
// for the map, the 200 encoder outputs): never the query's non-zeros.
// JS: const a = openStreamAnnotate(session, 'reference', 'label', model|null, featuresBuf, barcodesBuf,
//        {matrix, features, barcodes}, {chunkCells, keepEmbedding, seed, onProgress});
//     a.feed(bytes)...; const info = a.finish(); a.labels(); a.confidence(); a.embedding(); a.delete();
#pragma once
#include <emscripten/val.h>

#include <memory>
#include <string>

#include "wasm/read_api.hpp"
#include "wasm/session.hpp"

namespace scpt::wasm {

class LoadedModel;

class StreamAnnotator {
public:
    StreamAnnotator(Session& s, const std::string& reference, const std::string& label_column, const LoadedModel* model,
                    const ByteBuffer& features, const ByteBuffer& barcodes, emscripten::val names,
                    emscripten::val options);
    ~StreamAnnotator();
    void feed(emscripten::val bytes);
    // {cells, classes: [..], counts: [..] (per class, then Unassigned), genes, transform,
    //  warnings: [..], fit: {epochs, trainCells, valCells}}
    emscripten::val finish();
    emscripten::val labels() const;      // Int32Array per cell: class index, -1 = Unassigned
    emscripten::val confidence() const;  // Float32Array per cell
    emscripten::val embedding() const;   // Float32Array cells x dims (keepEmbedding), else empty
    int embedding_dims() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace scpt::wasm
