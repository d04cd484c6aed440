// A minimal read-only view of an HDF5 file, all the layout readers (10x .h5, AnnData .h5ad, Loom,
// Cell BLAST) need. Core code only sees this interface; implementations:
//   - native: tools/native/hdf5_file.* over libhdf5's C API (opens a path);
//   - browser: an emscripten::val implementation calling h5wasm synchronously in a Web Worker.
// It is deliberately small and uses plain types so the second implementation stays simple.
//
// Contract (both implementations must follow it exactly):
//   * Paths are absolute and '/'-separated ("/matrix/features/id"); "/" is the root group.
//     A trailing '/' is not used. Path components never contain '/'.
//   * exists(p) is false (never an error) for a missing object or a missing parent.
//   * children(g) lists the names (not paths) of the links in group g, sorted by byte-wise name
//     order (HDF5's H5_INDEX_NAME order; h5wasm's `keys()` must be sorted by the implementation).
//   * dataset_info(p) describes a dataset; `shape` is empty for a scalar dataset. Element types:
//       Int/UInt   HDF5 integer classes (width = bytes)
//       Float      float classes (width 4 or 8; 2 for half)
//       Bool       h5py's enum {FALSE = 0, TRUE = 1}; reads as 0/1 in every numeric buffer
//       String     fixed-length (width = bytes, variable_string = false) or variable-length
//       Other      compound, reference, opaque, ...: reading it is an error
//   * read_*(p, first, count, out) reads `count` rows starting at row `first` along the FIRST
//     dimension, with every other dimension whole, into `out` (count * product(shape[1:]) values,
//     row-major). A scalar dataset has one row. Values are converted to the buffer's type like a
//     C static_cast (int64 -> float rounds; h5wasm's BigInt64Array must be converted to Number /
//     int64 by the implementation). Reading a String or Other dataset into a number buffer, or
//     rows outside the shape, throws InputError.
//   * read_strings(p, first, count) does the same for String datasets: fixed-length strings lose
//     their NUL/space padding; variable-length ones are returned as stored (UTF-8 bytes).
//   * Attributes: read_string_attribute gives one element for a scalar string, all elements for a
//     string array, and nothing for an EMPTY attribute of any type (h5py writes an empty list as
//     float64[0]). A non-empty non-string attribute is an error. read_int_attribute gives the
//     integer (or integral float) values of a scalar or 1-D numeric attribute.
//     Object-reference attributes (old AnnData's `categories`) are never read: readers locate the
//     referenced dataset by its conventional path instead.
//   * Every failure is an InputError whose message starts with name() and names the object.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace scpt::io {

enum class H5Type { Int, UInt, Float, Bool, String, Other };
const char* h5_type_name(H5Type t);

struct H5DatasetInfo {
    H5Type type = H5Type::Other;
    int width = 0;                  // bytes per element (0 for variable-length strings)
    bool variable_string = false;
    std::vector<int64_t> shape;     // empty: scalar; dimensions beyond INT64_MAX read as INT64_MAX
    // Bytes the file actually stores for the dataset (HDF5's storage size), -1 when unknown. A
    // dataset created but never written stores 0 bytes whatever shape it declares.
    int64_t stored_bytes = -1;
    int64_t rows() const { return shape.empty() ? 1 : shape[0]; }
    int64_t row_size() const;       // product of shape[1:] (1 for 1-D and scalars), saturating at INT64_MAX
    int64_t elements() const;       // rows() * row_size(), saturating at INT64_MAX
};

class H5Source {
public:
    virtual ~H5Source() = default;
    virtual std::string name() const = 0;  // the file, for messages ("pbmc.h5ad")

    virtual bool exists(const std::string& path) const = 0;
    virtual bool is_group(const std::string& path) const = 0;  // false when missing or a dataset
    virtual std::vector<std::string> children(const std::string& group) const = 0;
    virtual H5DatasetInfo dataset_info(const std::string& path) const = 0;

    virtual void read_int64(const std::string& path, int64_t first, int64_t count, int64_t* out) const = 0;
    virtual void read_int32(const std::string& path, int64_t first, int64_t count, int32_t* out) const = 0;
    virtual void read_float(const std::string& path, int64_t first, int64_t count, float* out) const = 0;
    virtual void read_double(const std::string& path, int64_t first, int64_t count, double* out) const = 0;
    virtual std::vector<std::string> read_strings(const std::string& path, int64_t first, int64_t count) const = 0;

    virtual bool has_attribute(const std::string& path, const std::string& attr) const = 0;
    virtual std::vector<std::string> read_string_attribute(const std::string& path, const std::string& attr) const = 0;
    virtual std::vector<int64_t> read_int_attribute(const std::string& path, const std::string& attr) const = 0;
};

// ---- helpers over the interface (h5_source.cpp) ----

std::string h5_join(const std::string& group, const std::string& child);
bool h5_is_dataset(const H5Source& f, const std::string& path);
// Whole datasets (checked against `max_elements` before allocating; text also against 2^31 bytes
// and 65,536 bytes per fixed-length value).
std::vector<int64_t> h5_read_int64(const H5Source& f, const std::string& path, int64_t max_elements);
std::vector<double> h5_read_double(const H5Source& f, const std::string& path, int64_t max_elements);
std::vector<std::string> h5_read_strings(const H5Source& f, const std::string& path, int64_t max_elements);
// A string attribute's first value, or `fallback` when absent or empty.
std::string h5_string_attribute(const H5Source& f, const std::string& path, const std::string& attr,
                                const std::string& fallback = "");
// The dataset at path must exist; otherwise InputError "<file>: has no dataset <path> (<why>)".
void h5_require_dataset(const H5Source& f, const std::string& path, const std::string& why);
// A dataset declaring `elements` > 0 values must store some bytes; otherwise InputError
// "<file>: <path> declares N values but stores none" (a tiny file cannot make us allocate them).
void h5_require_stored(const H5Source& f, const std::string& path, const H5DatasetInfo& info);

}  // namespace scpt::io
