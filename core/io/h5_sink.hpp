// The write side of HDF5, as small as the layout writers (h5ad_write.hpp) need: groups, 1-D and
// 2-D datasets of a few element types, and attributes. Core code only sees this interface, so the
// file layout is written once for every place that writes one; implementations:
//   - native: tools/native/hdf5_sink.* over libhdf5's C API (creates a path);
//   - in memory, no libhdf5 (the page): h5_file_writer.hpp;
//   - tests: tests/core/io/recording_h5_sink.hpp records every call.
//
// Contract (every implementation must follow it):
//   * Paths are absolute and '/'-separated ("/obs/_index"); "/" is the root group. A parent group
//     is always created (create_group) before anything inside it; nothing is created twice.
//   * write_* creates a dataset of `shape` (1 or 2 dimensions, row-major `data` holding their
//     product of values) in the element type the name says: float32, float64, int32, int64,
//     and bool as h5py stores it (an 8-bit enum {FALSE = 0, TRUE = 1}: numpy reads bool).
//   * write_strings creates a 1-D dataset of variable-length UTF-8 strings (h5py's str dtype).
//   * Attributes: a scalar variable-length UTF-8 string, a 1-D array of them (possibly empty), a
//     1-D int64 array, and a scalar bool (h5py's enum, as above). The object must exist.
//   * A failure throws (InputError naming the file and the object for the user's destination).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace scpt::io {

class H5Sink {
public:
    virtual ~H5Sink() = default;

    virtual void create_group(const std::string& path) = 0;

    virtual void write_float(const std::string& path, const std::vector<int64_t>& shape, const float* data) = 0;
    virtual void write_double(const std::string& path, const std::vector<int64_t>& shape, const double* data) = 0;
    virtual void write_int32(const std::string& path, const std::vector<int64_t>& shape, const int32_t* data) = 0;
    virtual void write_int64(const std::string& path, const std::vector<int64_t>& shape, const int64_t* data) = 0;
    virtual void write_bool(const std::string& path, const std::vector<int64_t>& shape, const uint8_t* data) = 0;
    virtual void write_strings(const std::string& path, const std::vector<std::string>& values) = 0;

    virtual void set_string_attribute(const std::string& path, const std::string& name, const std::string& value) = 0;
    virtual void set_strings_attribute(const std::string& path, const std::string& name,
                                       const std::vector<std::string>& values) = 0;
    virtual void set_int64s_attribute(const std::string& path, const std::string& name,
                                      const std::vector<int64_t>& values) = 0;
    virtual void set_bool_attribute(const std::string& path, const std::string& name, bool value) = 0;
};

}  // namespace scpt::io
