// Reading a 10x folder's matrix as it streams in (core's TenxCellStream), so the decompressed
// Matrix Market text (often several times the size of the matrix itself) never sits in memory
// whole: the worker feeds the chunks it gunzips, cells are appended to the CSR as they complete.
// Files the stream cannot take (transposed, not sorted by cell) or rejects for any reason are
// read whole by the worker instead, with core's read_tenx_folder, whose verdict matches the native
// tool's exactly.
#pragma once
#include <emscripten/val.h>

#include <memory>
#include <string>

#include "core/data/cell_matrix.hpp"
#include "wasm/read_api.hpp"
#include "wasm/session.hpp"

namespace scpt::io {
class TenxCellStream;
}

namespace scpt::wasm {

class TenxStreamReader {
public:
    // names: {matrix, features, barcodes} for messages. Parses the two small files at once.
    TenxStreamReader(const ByteBuffer& features, const ByteBuffer& barcodes, emscripten::val names);
    ~TenxStreamReader();
    // One chunk of the (decompressed) matrix text, any size, split anywhere.
    void feed(emscripten::val chunk);
    // Ends the stream, puts the matrix in the session under `role`; returns matrix_info() + format.
    emscripten::val finish(Session& s, const std::string& role);

private:
    std::unique_ptr<io::TenxCellStream> stream_;
    CellMatrix m_;
    std::string scratch_;
    std::string matrix_name_;
    int64_t max_nonzeros_;
};

}  // namespace scpt::wasm
