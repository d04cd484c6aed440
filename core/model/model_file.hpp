// The one reader and writer of model files (models/FORMAT.md). The writer produces the bytes and
// the reader takes bytes: opening files is the tools' job (tools/native, the web worker).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/model.hpp"
#include "core/util/limits.hpp"

namespace scpt {

constexpr uint32_t kModelFormatVersion = 1;  // the version this code writes and the newest it reads
constexpr uint32_t kModelAlignment = 64;     // tensor data alignment within the payload

enum class Compression {
    Auto,  // zstd when this build has zstd's compressor, else none (the decoder-only wasm build)
    None,  // store the payload as is: larger, readable in place
    Zstd,  // zstd; throws scpt::Error in a build without the compressor
};

struct WriteOptions {
    Compression compression = Compression::Auto;
    int zstd_level = 3;  // 1..19; measured: weights compress no better at 9 or 19, only slower
};

// True when this build can write zstd-compressed files (SCPT_HAVE_ZSTD_COMPRESS).
bool has_zstd_compressor();

// Serialises a model. Validates it first (Model::validate); throws InputError naming "model" when it
// is inconsistent. Writes the current format version whatever model.info.format_version says.
std::string write_model(const Model& model, const WriteOptions& options = {});

// One entry of the tensor table, as found in the file.
struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> dims;
    uint64_t offset = 0;  // from the start of the tensor data
    uint64_t size = 0;    // bytes
};

// How a file is laid out, for `scpt inspect` and tests.
struct ModelFileLayout {
    uint32_t format_version = 0;
    bool compressed = false;
    uint64_t file_bytes = 0;
    uint64_t payload_bytes = 0;
    uint64_t data_start = 0;  // payload offset where tensor data start (tensor i at data_start + offset)
    std::vector<TensorInfo> tensors;
    std::vector<std::string> ignored_keys;     // metadata keys this version does not know
    std::vector<std::string> ignored_tensors;  // tensors this version does not use
};

// Parses and validates a whole model file: magic, version, header checksum, sizes against
// `limits` before allocating, data checksum, decompression, every metadata value and tensor (types,
// shapes, offsets, alignment, overlap), and finally Model::validate. Throws InputError whose message
// starts with `name` ("model.scpt: checksum mismatch: the file is corrupt or was modified").
// When `layout` is given, it receives the file's structure.
Model read_model(std::string_view bytes, const Limits& limits = {}, const std::string& name = "model",
                 ModelFileLayout* layout = nullptr);

}  // namespace scpt
