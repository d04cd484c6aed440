// How long-running core work talks to its caller without global state: a progress callback,
// a cancel flag polled between steps, and a thread count. Passed by const reference.
#pragma once
#include <atomic>
#include <functional>
#include <string>

#include "core/util/error.hpp"

namespace scpt {

struct ProgressEvent {
    std::string stage;      // "read", "encode", "kmeans", "pretrain", "finetune", "predict", "layout", ...
    double fraction = 0;    // 0..1 within the stage
    std::string message;    // a short human line: "phase 1 epoch 3 loss 4.21", "epoch 12 val acc 0.93"
    double value = 0;       // a stage-specific figure (loss, validation accuracy), NaN-free
};

using ProgressFn = std::function<void(const ProgressEvent&)>;

struct RunControl {
    ProgressFn progress;                        // may be empty
    const std::atomic<bool>* cancel = nullptr;  // when it becomes true, work stops with Cancelled
    int threads = 1;                            // worker threads; 1 means run on the caller's thread

    void report(const ProgressEvent& e) const {
        if (progress) progress(e);
    }
    void check_cancel() const {
        if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
    }
};

}  // namespace scpt
