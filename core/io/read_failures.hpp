// What the readers say when a file cannot be read at all, in one place: core's parsers, the native
// HDF5 reader (tools/native/hdf5_file.cpp) and the page's JavaScript readers (gzip through the
// browser's DecompressionStream, HDF5 through h5wasm: web/worker/) say it in these words, after
// the file's name ("matrix.mtx.gz: is cut short: ...").
#pragma once
#include <string>

namespace scpt::io {

enum class ReadFailure {
    NotHdf5,         // named or opened as HDF5, without its signature
    Hdf5Unopenable,  // the signature is there, the library cannot open it
    GzipCut,         // the gzip data ends before its end marker
    GzipCorrupt,     // a gzip data error; detail: the decompressor's message
};

std::string read_failure(ReadFailure kind, const std::string& detail = "");

// The same by name, for the page: "not-hdf5", "hdf5-unopenable", "gzip-cut", "gzip-corrupt".
// Throws std::invalid_argument for another name.
std::string read_failure(const std::string& kind, const std::string& detail);

}  // namespace scpt::io
