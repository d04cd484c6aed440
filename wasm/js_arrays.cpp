#include "wasm/js_arrays.hpp"

namespace scpt::wasm {

std::vector<std::string> split_lines(const std::string& joined, size_t expected) {
    return split_on(joined, '\n', expected);
}

std::vector<std::string> split_on(const std::string& joined, char sep, size_t expected) {
    std::vector<std::string> out;
    out.reserve(expected);
    if (expected == 0 && joined.empty()) return out;
    size_t b = 0;
    for (;;) {
        size_t e = joined.find(sep, b);
        if (e == std::string::npos) {
            out.emplace_back(joined, b);
            break;
        }
        out.emplace_back(joined, b, e - b);
        b = e + 1;
    }
    return out;
}

std::string join_lines(const std::vector<std::string>& v) {
    size_t n = 0;
    for (const auto& s : v) n += s.size() + 1;
    std::string out;
    out.reserve(n);
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += '\n';
        out += v[i];
    }
    return out;
}

}  // namespace scpt::wasm
