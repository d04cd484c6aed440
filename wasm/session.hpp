// What the page keeps between calls: loaded matrices by name ("reference", "query"), the model,
// the thread count, and the cancel flag of the work in progress. One Session per worker.
#pragma once
#include <emscripten/val.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/app/annotate_flow.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/annotate/reference_labels.hpp"
#include "core/util/run_control.hpp"

namespace scpt::wasm {

// A labels file attached to a matrix, joined to its cells as `scpt annotate --labels` does
// (kept so annotate uses that join, warnings included, rather than the metadata column's text).
struct FileLabels {
    std::string name;  // the file's name, for messages
    annotate::CellLabels labels;
};

// A cells x dims embedding (row-major), e.g. the encoder's output for a matrix.
struct Embedding {
    int64_t cells = 0;
    int dims = 0;
    std::vector<float> values;
};

class Session {
public:
    Session();

    // Matrices by name. matrix() throws InputError naming what is missing.
    void put_matrix(const std::string& name, CellMatrix m);
    const CellMatrix& matrix(const std::string& name) const;
    CellMatrix& matrix(const std::string& name);
    bool has_matrix(const std::string& name) const { return matrices_.count(name) != 0; }
    void drop_matrix(const std::string& name) {
        matrices_.erase(name);
        embeddings_.erase(name);
        file_labels_.erase(name);
    }
    emscripten::val matrix_names() const;

    // Embeddings by the name of the matrix they describe. embedding() throws InputError.
    void put_embedding(const std::string& name, Embedding e) { embeddings_[name] = std::move(e); }
    const Embedding& embedding(const std::string& name) const;
    bool has_embedding(const std::string& name) const { return embeddings_.count(name) != 0; }

    // Labels files by matrix name and the metadata column they were attached as. file_labels()
    // returns null when that column did not come from a labels file.
    void put_file_labels(const std::string& name, const std::string& column, FileLabels l) {
        file_labels_[name][column] = std::move(l);
    }
    const FileLabels* file_labels(const std::string& name, const std::string& column) const;

    // Annotation outcomes, for their table and map (annotate_api.hpp), by number (1, 2, ...). A new
    // one is pending until the page has shown it (commit_outcome): a later step that fails or is
    // cancelled (the map) discards it and the one on screen stays, with its table. At most the
    // current and one pending outcome are held. outcome(n) throws InputError for any other n.
    int add_outcome(app::AnnotateOutcome o, app::AnnotateSettings settings);
    void commit_outcome(int number);
    void discard_outcome(int number);
    const app::AnnotateOutcome& outcome(int number) const { return held(number).outcome; }
    const app::AnnotateSettings& outcome_settings(int number) const { return held(number).settings; }

    // Threads used by long work: 1 in the single-threaded module, else at most the pool size.
    void set_threads(int n);
    int threads() const { return threads_; }
    static int max_threads();

    // Starts a long operation: clears the cancel flag and returns a RunControl whose progress
    // events go to on_progress (a JS function, or undefined). on_progress may return true to ask
    // for cancellation. Events from other threads than the module's main one are dropped
    // (a JS function can only be called on the thread that owns it).
    RunControl begin(emscripten::val on_progress);
    // Requests cancellation of the running work (from JS between calls, or via the address below).
    void cancel() { cancel_->store(true); }
    // Byte address of the cancel flag in the module's memory: with the threaded module the memory
    // is a SharedArrayBuffer, so the page can set it (Atomics.store of 1) while work runs.
    uintptr_t cancel_address() const { return reinterpret_cast<uintptr_t>(cancel_.get()); }

private:
    std::map<std::string, CellMatrix> matrices_;
    std::map<std::string, Embedding> embeddings_;
    std::map<std::string, std::map<std::string, FileLabels>> file_labels_;
    struct HeldOutcome {
        int number = 0;  // 0: none
        app::AnnotateOutcome outcome;
        app::AnnotateSettings settings;
    };
    const HeldOutcome& held(int number) const;
    HeldOutcome current_, pending_;
    int outcomes_ = 0;
    std::unique_ptr<std::atomic<bool>> cancel_;  // stable address for the page
    int threads_ = 1;
};

}  // namespace scpt::wasm
