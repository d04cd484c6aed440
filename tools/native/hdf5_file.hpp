// The native H5Source (core/io/h5_source.hpp) over libhdf5's C API. Opens a path read-only.
// Also registers a decoder for the LZF filter (id 32000, written by h5py/anndata for
// compression="lzf"), which libhdf5 does not ship, so such .h5ad files read without plugins.
// libhdf5 (serial build) is not thread-safe: use one Hdf5File from one thread at a time.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "core/io/h5_source.hpp"

namespace scpt::native {

class Hdf5File : public io::H5Source {
public:
    // Throws InputError naming the path when it is missing or not an HDF5 file.
    static std::unique_ptr<Hdf5File> open(const std::string& path);
    // Opens an HDF5 file image held in memory (libhdf5's core driver; the bytes are copied).
    // `name` is used in messages. For the fuzz target and tests; tools open paths.
    static std::unique_ptr<Hdf5File> open_image(const std::string& name, const std::string& bytes);
    ~Hdf5File() override;

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
    Hdf5File(int64_t id, std::string name) : file_(id), name_(std::move(name)) {}
    void read_numeric(const std::string& path, int64_t first, int64_t count, int64_t mem_type, void* out,
                      size_t out_elem) const;
    int64_t file_;  // hid_t
    std::string name_;
};

// Decompresses an LZF block (the format of liblzf, used by HDF5 filter 32000). Returns the number
// of bytes written, or 0 when the output does not fit or the input is corrupt.
size_t lzf_decompress(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len, bool* too_small);

}  // namespace scpt::native
