#include "tools/native/model_files.hpp"

#include "tools/native/files.hpp"

namespace scpt::native {

Model load_model(const std::string& path, const Limits& limits, ModelFileLayout* layout) {
    return read_model(read_file(path), limits, path, layout);
}

size_t save_model(const std::string& path, const Model& model, const WriteOptions& options) {
    const std::string bytes = write_model(model, options);
    write_file_atomic(path, bytes);
    return bytes.size();
}

}  // namespace scpt::native
