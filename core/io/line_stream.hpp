// Lines of a text input (plain, or gzip inflated piece by piece) handed to a callback without ever
// holding the decompressed text: a gzip file that inflates to gigabytes costs one line of memory.
// Guards: a line longer than Limits::max_line_bytes (a missing line break, a binary file, a gzip
// bomb of one endless line) and more than Limits::max_inflated_bytes decompressed are refused with
// a message naming the input and the line.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/util/limits.hpp"

namespace scpt::io {

// fn(line, number): the line without its terminator (\n or \r\n), numbers 1-based. A last line
// without terminator is included; a final empty line is not (as for_each_line in text.hpp).
using LineFn = std::function<void(std::string_view line, int64_t number)>;
// progress(fraction of the input bytes consumed), called about every megabyte; may be empty.
using FractionFn = std::function<void(double)>;

// Splits chunks of any size into lines, carrying an incomplete last line to the next chunk.
class LineSplitter {
public:
    LineSplitter(std::string what, int64_t max_line) : what_(std::move(what)), max_line_(max_line) {}
    void feed(std::string_view chunk, const LineFn& fn);
    void finish(const LineFn& fn);
    int64_t lines() const { return number_; }

private:
    void emit(std::string_view line, const LineFn& fn);
    [[noreturn]] void too_long() const;
    std::string what_;
    int64_t max_line_;
    int64_t number_ = 0;
    std::string carry_;
};

// Every line of `bytes` (gzip detected from its magic number).
void for_each_text_line(std::string_view bytes, const std::string& what, const Limits& limits, const LineFn& fn,
                        const FractionFn& progress = {});

}  // namespace scpt::io
