#include "core/io/line_stream.hpp"

#include <cstring>

#include "core/io/gzip.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

void LineSplitter::too_long() const {
    throw input_error(what_, "line " + std::to_string(number_ + 1) + " is longer than " + std::to_string(max_line_) +
                                 " bytes: a line break is missing, or this is not a text file");
}

void LineSplitter::emit(std::string_view line, const LineFn& fn) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, ++number_);
}

void LineSplitter::feed(std::string_view chunk, const LineFn& fn) {
    while (!chunk.empty()) {
        const char* nl = static_cast<const char*>(std::memchr(chunk.data(), '\n', chunk.size()));
        if (!nl) {
            if (int64_t(carry_.size() + chunk.size()) > max_line_) too_long();
            carry_.append(chunk);
            return;
        }
        const size_t n = size_t(nl - chunk.data());
        if (carry_.empty()) {
            if (int64_t(n) > max_line_) too_long();
            emit(chunk.substr(0, n), fn);
        } else {
            if (int64_t(carry_.size() + n) > max_line_) too_long();
            carry_.append(chunk.substr(0, n));
            emit(carry_, fn);
            carry_.clear();
        }
        chunk.remove_prefix(n + 1);
    }
}

void LineSplitter::finish(const LineFn& fn) {
    if (carry_.empty()) return;
    std::string last;
    last.swap(carry_);
    emit(last, fn);
}

void for_each_text_line(std::string_view bytes, const std::string& what, const Limits& limits, const LineFn& fn,
                        const FractionFn& progress) {
    constexpr size_t kStep = size_t(1) << 20;
    LineSplitter lines(what, limits.max_line_bytes);
    const bool gz = is_gzip(bytes);
    std::unique_ptr<GzipInflater> inf;
    if (gz) inf = std::make_unique<GzipInflater>(what, limits.max_inflated_bytes);
    for (size_t pos = 0; pos < bytes.size(); pos += kStep) {
        std::string_view chunk = bytes.substr(pos, kStep);
        if (gz) inf->feed(chunk, [&](std::string_view piece) { lines.feed(piece, fn); });
        else lines.feed(chunk, fn);
        if (progress) progress(double(std::min(bytes.size(), pos + kStep)) / double(bytes.size()));
    }
    if (gz) inf->finish();
    lines.finish(fn);
}

}  // namespace scpt::io
