// A 10x folder inside a .tar[.gz]/.tgz or .zip dropped on the page: core's archive structure parsing
// (core/io/archive.*) and its choice of matrix (core/io/tenx_archive.*), for the worker. The
// worker decompresses (DecompressionStream 'gzip' for a tar.gz, 'deflate-raw' for zip members)
// and slices the chosen members out of the File; they then go the 10x folder's way.
// Members travel as {path, offset, size, storedSize, method: 'stored'|'deflate', crc32}.
#pragma once
#include <emscripten/val.h>

#include <memory>
#include <string>

#include "core/io/archive.hpp"

namespace scpt::wasm {

// Lists a tar as its (gunzipped) bytes stream through, holding none of them.
class TarLister {
public:
    explicit TarLister(std::string archive_name) : parser_(std::move(archive_name)) {}
    void feed(emscripten::val chunk);
    // Ends the stream (InputError when cut short); the members, offsets in the gunzipped tar.
    emscripten::val finish();

private:
    io::TarParser parser_;
    std::string scratch_;
};

// A zip's members from its central directory; read_at(offset, n) returns a Uint8Array of the file
// (FileReaderSync on a Blob slice in the worker). Offsets are those of the local headers.
emscripten::val list_zip_members(double archive_size, emscripten::val read_at, const std::string& archive_name);

// Where a zip member's data starts, from the bytes of its local header (30 or more).
double zip_member_data_offset(emscripten::val header, double header_offset, double archive_size, const std::string& path,
                              const std::string& archive_name);

// core's choice among the listed members: {matrix, features, barcodes (members), folder, note};
// InputError when there is no matrix, or several and none is the filtered one, or a chosen
// member declares more bytes than the limits allow.
emscripten::val choose_tenx_archive_members(emscripten::val members, const std::string& archive_name);

}  // namespace scpt::wasm
