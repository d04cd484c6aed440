// Typed arrays across the JS/wasm boundary. Inputs: one copy from a JS typed array straight into
// a std::vector's storage (TypedArray.set on a heap view; no per-element calls). Outputs: either a
// view into the heap (no copy, valid only until the next call that may allocate: memory growth
// detaches it) or a copy the caller may keep.
#pragma once
#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <vector>

namespace scpt::wasm {

// Length of a JS array or typed array.
inline size_t js_length(const emscripten::val& a) { return a["length"].as<size_t>(); }

// Copies a JS typed array (or plain array) of numbers into a vector of T, converting element type
// as TypedArray.set does. BigInt64Array is refused by JS here: convert it before calling.
template <class T>
std::vector<T> from_js(const emscripten::val& a) {
    std::vector<T> out(js_length(a));
    if (!out.empty()) emscripten::val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", a);
    return out;
}

// A view into the heap: no copy; dies at the next allocation (memory growth).
template <class T>
emscripten::val view_of(const std::vector<T>& v) {
    return emscripten::val(emscripten::typed_memory_view(v.size(), v.data()));
}

// A JS-owned copy.
template <class T>
emscripten::val copy_of(const T* data, size_t n) {
    return emscripten::val(emscripten::typed_memory_view(n, data)).call<emscripten::val>("slice");
}
template <class T>
emscripten::val copy_of(const std::vector<T>& v) {
    return copy_of(v.data(), v.size());
}

// Strings travel as one '\n'-joined JS string (one UTF-8 conversion instead of one call per
// element: 100k barcodes cost milliseconds, not a second). Names never contain newlines.
std::vector<std::string> split_lines(const std::string& joined, size_t expected);
// The same with another separator (HDF5 strings may hold newlines: those travel joined by \x1f).
std::vector<std::string> split_on(const std::string& joined, char sep, size_t expected);
std::string join_lines(const std::vector<std::string>& v);

}  // namespace scpt::wasm
