#include "wasm/session.hpp"

#include <emscripten/threading.h>

#include <algorithm>

#include "core/util/error.hpp"

namespace scpt::wasm {

using emscripten::val;

Session::Session() : cancel_(std::make_unique<std::atomic<bool>>(false)) {}

void Session::put_matrix(const std::string& name, CellMatrix m) {
    matrices_[name] = std::move(m);
    embeddings_.erase(name);  // they described the previous matrix
    file_labels_.erase(name);
}

const FileLabels* Session::file_labels(const std::string& name, const std::string& column) const {
    auto it = file_labels_.find(name);
    if (it == file_labels_.end()) return nullptr;
    auto jt = it->second.find(column);
    return jt == it->second.end() ? nullptr : &jt->second;
}

const Embedding& Session::embedding(const std::string& name) const {
    auto it = embeddings_.find(name);
    if (it == embeddings_.end()) throw InputError("the " + name + " cells have not been encoded yet");
    return it->second;
}

int Session::add_outcome(app::AnnotateOutcome o, app::AnnotateSettings settings) {
    pending_ = HeldOutcome{++outcomes_, std::move(o), std::move(settings)};
    return pending_.number;
}

void Session::commit_outcome(int number) {
    if (number == 0 || pending_.number != number) return;
    current_ = std::move(pending_);
    pending_ = HeldOutcome{};
}

void Session::discard_outcome(int number) {
    if (number != 0 && pending_.number == number) pending_ = HeldOutcome{};
}

const Session::HeldOutcome& Session::held(int number) const {
    if (number != 0 && current_.number == number) return current_;
    if (number != 0 && pending_.number == number) return pending_;
    if (outcomes_ == 0) throw InputError("annotate the cells first");
    throw InputError("these results were replaced by a later annotation: annotate again");
}

const CellMatrix& Session::matrix(const std::string& name) const {
    auto it = matrices_.find(name);
    if (it == matrices_.end()) throw InputError("no " + name + " data loaded yet");
    return it->second;
}

CellMatrix& Session::matrix(const std::string& name) {
    return const_cast<CellMatrix&>(static_cast<const Session&>(*this).matrix(name));
}

val Session::matrix_names() const {
    val out = val::array();
    for (const auto& kv : matrices_) out.call<void>("push", kv.first);
    return out;
}

int Session::max_threads() {
#ifdef SCPT_WASM_THREADS
    return SCPT_WASM_MAX_THREADS_VALUE;
#else
    return 1;
#endif
}

void Session::set_threads(int n) { threads_ = std::clamp(n, 1, max_threads()); }

RunControl Session::begin(val on_progress) {
    cancel_->store(false);
    RunControl rc;
    rc.cancel = cancel_.get();
    rc.threads = threads_;
    if (on_progress.typeOf().as<std::string>() == "function") {
        std::atomic<bool>* flag = cancel_.get();
        rc.progress = [fn = std::move(on_progress), flag](const ProgressEvent& e) {
            if (!emscripten_is_main_runtime_thread()) return;
            val ev = val::object();
            ev.set("stage", e.stage);
            ev.set("fraction", e.fraction);
            ev.set("message", e.message);
            ev.set("value", e.value);
            if (fn(ev).as<bool>()) flag->store(true);
        };
    }
    return rc;
}

}  // namespace scpt::wasm
