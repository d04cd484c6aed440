#include "wasm/js_error.hpp"

#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>

#include "core/util/error.hpp"

namespace scpt::wasm {

namespace {
struct Described {
    const char* name;
    std::string message;
};

Described describe(std::exception_ptr p) {
    try {
        std::rethrow_exception(p);
    } catch (const Cancelled&) {
        return {"Cancelled", "cancelled"};
    } catch (const InputError& e) {
        return {"InputError", e.what()};
    } catch (const std::bad_alloc&) {
        return {"Error", "out of memory: the data does not fit in the memory a browser tab may use (4 GB)"};
    } catch (const std::exception& e) {
        return {"Error", e.what()};
    } catch (...) {
        return {"Error", "unexpected internal error"};
    }
}
}  // namespace

void throw_as_js_error(std::exception_ptr p) {
    emscripten::val error = emscripten::val::undefined();
    {
        // Build the JS value, then let every C++ object go before throwing: a JS throw unwinds
        // wasm frames without running destructors.
        Described d = describe(p);
        p = nullptr;
        error = emscripten::val::global("Error").new_(d.message);
        error.set("name", emscripten::val(d.name));
    }
    error.throw_();
}

}  // namespace scpt::wasm
