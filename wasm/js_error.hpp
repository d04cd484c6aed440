// The one error path from C++ to JavaScript. In Emscripten 3.1.6 a C++ exception that escapes into
// JS arrives as a bare number (a pointer) with no message, so every entry point runs its body
// through guarded(), which turns the core's exception into a real JS Error carrying the message.
#pragma once
#include <exception>
#include <utility>

namespace scpt::wasm {

// Classifies the exception and throws a JS Error. Called after the catch block has ended (a JS
// throw from inside one would skip __cxa_end_catch and leak the exception object).
[[noreturn]] void throw_as_js_error(std::exception_ptr error);

// Runs f() and converts any C++ exception into a JS Error whose `name` tells the kind
// ("InputError": the user's data, "Cancelled": the user stopped it, "Error": anything else)
// and whose `message` is the core's text.
template <class F>
decltype(auto) guarded(F&& f) {
    std::exception_ptr error;
    try {
        return std::forward<F>(f)();
    } catch (...) {
        error = std::current_exception();
    }
    throw_as_js_error(std::move(error));
}

}  // namespace scpt::wasm
