// core's read-only HDF5 interface (core/io/h5_source.hpp) implemented over a JS object that calls
// h5wasm synchronously in the Web Worker (web/worker/h5.js, class H5Source). One C++ layout reader
// (10x .h5, .h5ad, Loom, Cell BLAST) thus serves the native tool and the browser.
//
// The JS object never throws: on failure a method returns null and leaves the reason in
// `lastError` (a JS exception crossing wasm frames would skip C++ destructors). Methods:
//   name: string, exists(p), isGroup(p): bool, children(g): string[] (sorted byte-wise),
//   datasetInfo(p): {type: 'int'|'uint'|'float'|'bool'|'string'|'other', width, variableString, shape, storedBytes?}
//     (storedBytes: 0 when the dataset cannot be stored in the file, -1 or absent when unknown),
//   readNumbers(p, first, count): typed array of count * rowSize numbers (int64 as Float64Array),
//   readStrings(p, first, count): string[], hasAttribute(p, a): bool,
//   stringAttribute(p, a): string[], intAttribute(p, a): number[]
#pragma once
#include <emscripten/val.h>

#include "core/io/h5_source.hpp"

namespace scpt::wasm {

class ValH5Source final : public io::H5Source {
public:
    explicit ValH5Source(emscripten::val js);
    std::string name() const override { return name_; }
    bool exists(const std::string& path) const override;
    bool is_group(const std::string& path) const override;
    std::vector<std::string> children(const std::string& group) const override;
    io::H5DatasetInfo dataset_info(const std::string& path) const override;
    void read_int64(const std::string& path, int64_t first, int64_t count, int64_t* out) const override;
    void read_int32(const std::string& path, int64_t first, int64_t count, int32_t* out) const override;
    void read_float(const std::string& path, int64_t first, int64_t count, float* out) const override;
    void read_double(const std::string& path, int64_t first, int64_t count, double* out) const override;
    std::vector<std::string> read_strings(const std::string& path, int64_t first, int64_t count) const override;
    bool has_attribute(const std::string& path, const std::string& attr) const override;
    std::vector<std::string> read_string_attribute(const std::string& path, const std::string& attr) const override;
    std::vector<int64_t> read_int_attribute(const std::string& path, const std::string& attr) const override;

private:
    // Calls js[method](args...); a null result means failure: throws InputError with lastError.
    template <class... Args>
    emscripten::val call(const char* method, const std::string& what, Args&&... args) const;
    template <class T>
    void read_into(const std::string& path, int64_t first, int64_t count, T* out) const;

    emscripten::val js_;
    std::string name_;
};

}  // namespace scpt::wasm
