// Reading the page's plain objects ({key: value}: requests, options, file names) one way in every
// entry point. A missing object, a missing key, null and undefined all take the fallback; so does a
// value of another type where a string is wanted (core checks the values it is given).
#pragma once
#include <emscripten/val.h>

#include <string>
#include <vector>

namespace scpt::wasm {

inline bool absent(const emscripten::val& v) { return v.isUndefined() || v.isNull(); }

// o[key] is there (o itself may be absent).
inline bool has(const emscripten::val& o, const char* key) { return !absent(o) && !absent(o[key]); }

// o[key] when it is there, else undefined: for nested objects.
inline emscripten::val field(const emscripten::val& o, const char* key) {
    return has(o, key) ? o[key] : emscripten::val::undefined();
}

inline std::string text_or(const emscripten::val& o, const char* key, const std::string& fallback) {
    return has(o, key) && o[key].isString() ? o[key].as<std::string>() : fallback;
}

// JS truthiness of o[key] when it is there.
inline bool flag_or(const emscripten::val& o, const char* key, bool fallback) {
    return has(o, key) ? o[key].as<bool>() : fallback;
}

// o[key] when it is a number.
inline double number_or(const emscripten::val& o, const char* key, double fallback) {
    return has(o, key) && o[key].isNumber() ? o[key].as<double>() : fallback;
}

// A JS array of the strings.
inline emscripten::val string_array(const std::vector<std::string>& v) {
    emscripten::val a = emscripten::val::array();
    for (const auto& x : v) a.call<void>("push", x);
    return a;
}

}  // namespace scpt::wasm
