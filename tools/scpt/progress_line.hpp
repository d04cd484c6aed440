// One progress line on stderr for long commands, rewritten in place (\r), on a terminal only: when
// stderr is a file or a pipe (scripts, logs) it stays free of progress, so that a failure is the
// one line scpt promises. Nothing with --quiet. Events are thinned to ~10 per second.
#pragma once
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>

#include "core/util/run_control.hpp"

namespace scpt::cli {

class ProgressLine {
public:
    explicit ProgressLine(bool quiet) : quiet_(quiet || ::isatty(2) == 0), tty_(::isatty(2) != 0) {}
    ~ProgressLine() { finish(); }
    void show(const ProgressEvent& e) {
        if (quiet_ || e.message.empty()) return;
        const auto now = std::chrono::steady_clock::now();
        if (!tty_ && e.stage == stage_ && e.fraction < 1 && now - last_ < std::chrono::seconds(2)) return;
        if (tty_ && e.stage == stage_ && e.fraction < 1 && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        stage_ = e.stage;
        const std::string line = e.stage + ": " + e.message;
        if (tty_) {
            const std::string pad = line.size() < width_ ? std::string(width_ - line.size(), ' ') : std::string();
            std::cerr << '\r' << line << pad << std::flush;
            width_ = line.size();
        } else {
            std::cerr << line << '\n';
        }
    }
    // Ends the in-place line so that other output starts on a fresh one.
    void finish() {
        if (tty_ && width_ > 0) std::cerr << '\n';
        width_ = 0;
    }
    RunControl attach(RunControl rc) {
        rc.progress = [this](const ProgressEvent& e) { show(e); };
        return rc;
    }

private:
    bool quiet_, tty_;
    size_t width_ = 0;
    std::string stage_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace scpt::cli
