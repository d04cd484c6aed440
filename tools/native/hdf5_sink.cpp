#include "tools/native/hdf5_sink.hpp"

#include <hdf5.h>

#include <algorithm>
#include <vector>

#include "core/util/error.hpp"

namespace scpt::native {

namespace {

// Closes an HDF5 id at scope exit.
struct Id {
    hid_t id;
    herr_t (*close)(hid_t);
    ~Id() {
        if (id >= 0) close(id);
    }
};

hid_t vlen_utf8() {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

// h5py's bool: an enum over int8 with members FALSE = 0, TRUE = 1.
hid_t h5py_bool() {
    hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
    int8_t v = 0;
    H5Tenum_insert(t, "FALSE", &v);
    v = 1;
    H5Tenum_insert(t, "TRUE", &v);
    return t;
}

hid_t simple_space(const std::vector<int64_t>& shape) {
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    return H5Screate_simple(int(dims.size()), dims.data(), nullptr);
}

}  // namespace

Hdf5Sink::Hdf5Sink(const std::string& path, std::string name) : name_(std::move(name)) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    // Version 1.8 objects at the least (what h5py writes by default), readable by every HDF5 1.8+.
    Id fapl{H5Pcreate(H5P_FILE_ACCESS), H5Pclose};
    H5Pset_libver_bounds(fapl.id, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST);
    file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.id);
    if (file_ < 0) throw input_error(name_, "cannot be created as an HDF5 file");
}

Hdf5Sink::~Hdf5Sink() {
    if (file_ >= 0) H5Fclose(file_);
}

void Hdf5Sink::close() {
    if (file_ < 0) return;
    const herr_t st = H5Fclose(file_);
    file_ = -1;
    if (st < 0) throw input_error(name_, "could not be written to the end (disk full?)");
}

void Hdf5Sink::create_group(const std::string& path) {
    if (path == "/") return;
    Id g{H5Gcreate2(file_, path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose};
    if (g.id < 0) throw input_error(name_, "cannot create the group " + path);
}

void Hdf5Sink::write(const std::string& path, const std::vector<int64_t>& shape, int64_t file_type, int64_t mem_type,
                     const void* data) {
    Id space{simple_space(shape), H5Sclose};
    // Chunked and gzip-compressed like `adata.write_h5ad(compression="gzip")` for the big arrays.
    int64_t total = 1;
    for (int64_t d : shape) total *= d;
    Id dcpl{H5Pcreate(H5P_DATASET_CREATE), H5Pclose};
    if (total >= 4096 && shape.size() <= 2) {
        std::vector<hsize_t> chunk(shape.begin(), shape.end());
        const hsize_t row = shape.size() == 2 ? hsize_t(shape[1]) : 1;
        chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(hsize_t(shape[0]), (1u << 16) / std::max<hsize_t>(row, 1)));
        H5Pset_chunk(dcpl.id, int(chunk.size()), chunk.data());
        H5Pset_shuffle(dcpl.id);
        H5Pset_deflate(dcpl.id, 4);
    }
    Id d{H5Dcreate2(file_, path.c_str(), hid_t(file_type), space.id, H5P_DEFAULT, dcpl.id, H5P_DEFAULT), H5Dclose};
    if (d.id < 0) throw input_error(name_, "cannot create the dataset " + path);
    if (total > 0 && H5Dwrite(d.id, hid_t(mem_type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        throw input_error(name_, "cannot write the dataset " + path + " (disk full?)");
}

void Hdf5Sink::write_float(const std::string& p, const std::vector<int64_t>& s, const float* d) {
    write(p, s, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, d);
}
void Hdf5Sink::write_double(const std::string& p, const std::vector<int64_t>& s, const double* d) {
    write(p, s, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, d);
}
void Hdf5Sink::write_int32(const std::string& p, const std::vector<int64_t>& s, const int32_t* d) {
    write(p, s, H5T_STD_I32LE, H5T_NATIVE_INT32, d);
}
void Hdf5Sink::write_int64(const std::string& p, const std::vector<int64_t>& s, const int64_t* d) {
    write(p, s, H5T_STD_I64LE, H5T_NATIVE_INT64, d);
}
void Hdf5Sink::write_bool(const std::string& p, const std::vector<int64_t>& s, const uint8_t* d) {
    Id t{h5py_bool(), H5Tclose};
    write(p, s, t.id, t.id, d);
}

void Hdf5Sink::write_strings(const std::string& path, const std::vector<std::string>& values) {
    Id t{vlen_utf8(), H5Tclose};
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values) ptrs.push_back(v.c_str());
    Id space{simple_space({int64_t(values.size())}), H5Sclose};
    Id d{H5Dcreate2(file_, path.c_str(), t.id, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose};
    if (d.id < 0) throw input_error(name_, "cannot create the dataset " + path);
    if (!values.empty() && H5Dwrite(d.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
        throw input_error(name_, "cannot write the dataset " + path + " (disk full?)");
}

void Hdf5Sink::attribute(const std::string& path, const std::string& name, int64_t type, int64_t space,
                         const void* data) {
    Id a{H5Acreate_by_name(file_, path.c_str(), name.c_str(), hid_t(type), hid_t(space), H5P_DEFAULT, H5P_DEFAULT,
                           H5P_DEFAULT),
         H5Aclose};
    if (a.id < 0 || H5Awrite(a.id, hid_t(type), data) < 0)
        throw input_error(name_, "cannot write the attribute " + name + " of " + path);
}

void Hdf5Sink::set_string_attribute(const std::string& path, const std::string& name, const std::string& value) {
    Id t{vlen_utf8(), H5Tclose};
    Id space{H5Screate(H5S_SCALAR), H5Sclose};
    const char* p = value.c_str();
    attribute(path, name, t.id, space.id, &p);
}

void Hdf5Sink::set_strings_attribute(const std::string& path, const std::string& name,
                                     const std::vector<std::string>& values) {
    Id t{vlen_utf8(), H5Tclose};
    Id space{simple_space({int64_t(values.size())}), H5Sclose};
    std::vector<const char*> ptrs;
    for (const auto& v : values) ptrs.push_back(v.c_str());
    const char* none = nullptr;
    attribute(path, name, t.id, space.id, ptrs.empty() ? static_cast<const void*>(&none) : ptrs.data());
}

void Hdf5Sink::set_int64s_attribute(const std::string& path, const std::string& name,
                                    const std::vector<int64_t>& values) {
    Id space{simple_space({int64_t(values.size())}), H5Sclose};
    Id a{H5Acreate_by_name(file_, path.c_str(), name.c_str(), H5T_STD_I64LE, space.id, H5P_DEFAULT, H5P_DEFAULT,
                           H5P_DEFAULT),
         H5Aclose};
    if (a.id < 0 || H5Awrite(a.id, H5T_NATIVE_INT64, values.data()) < 0)
        throw input_error(name_, "cannot write the attribute " + name + " of " + path);
}

void Hdf5Sink::set_bool_attribute(const std::string& path, const std::string& name, bool value) {
    Id t{h5py_bool(), H5Tclose};
    Id space{H5Screate(H5S_SCALAR), H5Sclose};
    const int8_t v = value ? 1 : 0;
    attribute(path, name, t.id, space.id, &v);
}

}  // namespace scpt::native
