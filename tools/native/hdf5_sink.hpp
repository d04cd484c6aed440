// The native H5Sink (core/io/h5_sink.hpp) over libhdf5's C API: creates (truncates) a file at a
// path; close() (or the destructor) finishes it. Strings are variable-length UTF-8 and bools
// h5py's enum, as anndata writes them. libhdf5 (serial) is not thread-safe: one thread at a time.
#pragma once
#include <cstdint>
#include <string>

#include "core/io/h5_sink.hpp"

namespace scpt::native {

class Hdf5Sink : public io::H5Sink {
public:
    // `name` is used in messages (the user's destination); `path` is created.
    Hdf5Sink(const std::string& path, std::string name);
    ~Hdf5Sink() override;
    Hdf5Sink(const Hdf5Sink&) = delete;
    Hdf5Sink& operator=(const Hdf5Sink&) = delete;
    void close();  // flushes and closes the file; throws InputError when libhdf5 cannot

    void create_group(const std::string& path) override;
    void write_float(const std::string& path, const std::vector<int64_t>& shape, const float* data) override;
    void write_double(const std::string& path, const std::vector<int64_t>& shape, const double* data) override;
    void write_int32(const std::string& path, const std::vector<int64_t>& shape, const int32_t* data) override;
    void write_int64(const std::string& path, const std::vector<int64_t>& shape, const int64_t* data) override;
    void write_bool(const std::string& path, const std::vector<int64_t>& shape, const uint8_t* data) override;
    void write_strings(const std::string& path, const std::vector<std::string>& values) override;
    void set_string_attribute(const std::string& path, const std::string& name, const std::string& value) override;
    void set_strings_attribute(const std::string& path, const std::string& name,
                               const std::vector<std::string>& values) override;
    void set_int64s_attribute(const std::string& path, const std::string& name,
                              const std::vector<int64_t>& values) override;
    void set_bool_attribute(const std::string& path, const std::string& name, bool value) override;

private:
    void write(const std::string& path, const std::vector<int64_t>& shape, int64_t file_type, int64_t mem_type,
               const void* data);
    void attribute(const std::string& path, const std::string& name, int64_t type, int64_t space, const void* data);
    int64_t file_ = -1;  // hid_t
    std::string name_;
};

}  // namespace scpt::native
