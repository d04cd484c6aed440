// An H5Sink (h5_sink.hpp) that builds an HDF5 file in memory, without libhdf5: the page's way to
// write an annotated .h5ad (the module has no libhdf5, and h5wasm, the page's HDF5 reader, cannot
// create the enum type h5py stores bools in). Only what the sink needs, in the HDF5 File Format
// Specification's version 2 structures (readable by libhdf5 1.8 and later, h5py, h5wasm):
//   superblock v2; every object a version 2 object header (one chunk, lookup3 checksums); groups
//   with compact links (Link Info + Group Info + Link messages); datasets contiguous, unfiltered;
//   datatypes little-endian int/float, h5py's bool enum {FALSE = 0, TRUE = 1} over int8, and
//   variable-length UTF-8 strings kept in global heap collections; attributes in the header.
// Raw data is appended as it comes; object headers, which grow until the end (links, attributes),
// are written by finish().
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/io/h5_sink.hpp"

namespace scpt::io {

class H5FileWriter : public H5Sink {
public:
    H5FileWriter();

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

    // The whole file. Call once, after the last object; the writer is empty afterwards.
    std::vector<uint8_t> finish();

private:
    struct Attribute {
        std::string name;
        std::vector<uint8_t> type, space, data;  // encoded; string data is encoded by finish()
        std::vector<std::string> strings;        // a string attribute's values
        bool is_strings = false;
    };
    struct Object {
        bool group = false;
        std::vector<std::pair<std::string, size_t>> links;  // child name, object index
        std::vector<uint8_t> type, space;                   // datasets
        uint64_t data_address = 0, data_size = 0;
        std::vector<Attribute> attributes;
        uint64_t address = 0;                               // set by finish()
    };

    size_t add_object(const std::string& path, bool group);
    Object& object_at(const std::string& path, const std::string& what);
    void dataset(const std::string& path, const std::vector<int64_t>& shape, std::vector<uint8_t> type,
                 const void* data, size_t element_size);
    void attribute(const std::string& path, Attribute a);
    // Heap objects for `values` in global heap collections appended to the file; returns their
    // 16-byte variable-length references, in order.
    std::vector<uint8_t> heap_strings(const std::vector<std::string>& values);
    std::vector<uint8_t> header(const Object& o) const;

    std::vector<Object> objects_;  // [0] = the root group, once created
    std::map<std::string, size_t> index_;
    std::vector<uint8_t> out_;     // the superblock's bytes (filled by finish()), then raw data and heaps
    bool finished_ = false;
};

}  // namespace scpt::io
