// One progress line on stderr for long commands, rewritten in place (\r) on a terminal and thinned
// to ~10 redraws per second. Off a terminal (scripts, logs) it is silent by default, so that a failure
// is the one line scpt promises; a command whose progress is its log (pretrain: one line per epoch)
// asks for every event as its own line instead. Nothing with --quiet.
#pragma once
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>

#include "core/util/run_control.hpp"

namespace scpt::cli {

class ProgressLine {
public:
    enum class OffTerminal { Silent, EveryEvent };
    explicit ProgressLine(bool quiet, OffTerminal off = OffTerminal::Silent)
        : tty_(::isatty(2) != 0), quiet_(quiet || (!tty_ && off == OffTerminal::Silent)) {}
    ~ProgressLine() { finish(); }
    void show(const ProgressEvent& e) {
        if (quiet_ || e.message.empty()) return;
        const auto now = std::chrono::steady_clock::now();
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
    bool tty_, quiet_;
    size_t width_ = 0;
    std::string stage_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace scpt::cli
