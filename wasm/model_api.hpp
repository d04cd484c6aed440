// Models in the browser: read a model file (core/model/model_file.*: zstd decoded by the module's
// decoder-only zstd) and encode a loaded matrix with it (gene matching, the model's value
// transform, core's encoder), keeping the embedding in the session for the map and, later, the
// classifiers.
#pragma once
#include <emscripten/val.h>

#include <memory>
#include <string>

#include "wasm/read_api.hpp"
#include "wasm/session.hpp"

namespace scpt {
struct Model;
}

namespace scpt::wasm {

// A model read from bytes, held by JS (delete() it when replaced).
class LoadedModel {
public:
    LoadedModel(const ByteBuffer& bytes, const std::string& name);
    ~LoadedModel();
    // {name, genes, hidden, dtype, transform, formatVersion, created, toolVersion, datasets: [..],
    //  classifiers: [{name, description, classes: [..]}], notes}
    emscripten::val info() const;
    const Model& model() const { return *model_; }

private:
    std::unique_ptr<Model> model_;
    std::string name_;
};

// Encodes the role's cells: {cells, dims, matched, vocabulary, summary, notes: [..], transform}.
emscripten::val encode_cells(Session& s, const std::string& role, const LoadedModel& m, emscripten::val on_progress);

}  // namespace scpt::wasm
