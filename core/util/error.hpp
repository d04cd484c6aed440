// Errors that reach users. Every message should read well to a biologist: say which input is bad
// and what is wrong with it, in the terms of their data (cells, genes, labels), never internals.
#pragma once
#include <stdexcept>
#include <string>

namespace scpt {

// Base of every error the core raises on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The user's input (a matrix, a labels file, a model file, an option) is unusable.
// Tools turn it into exit status 2 and one line on stderr; the wasm binding into a JS Error.
class InputError : public Error {
public:
    using Error::Error;
};

// The caller asked the running work to stop (Ctrl-C, a cancel button).
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

// Prefixes a message with the name of the thing it is about: "matrix.mtx: line 3: ...".
inline InputError input_error(const std::string& what, const std::string& message) {
    return InputError(what.empty() ? message : what + ": " + message);
}

}  // namespace scpt
