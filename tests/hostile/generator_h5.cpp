// Edits of real HDF5 files (libhdf5 C API): delete a dataset, set an attribute, change one value,
// shorten a dataset, or replace one by a dataset that only DECLARES a shape (chunked, never
// written: the file stays tiny while its header claims billions of values).
#include <hdf5.h>

#include "tests/hostile/generator.hpp"

namespace scpt::hostile {
namespace {

struct File {
    hid_t id;
    explicit File(const std::string& path) {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        if (id < 0) throw std::runtime_error("generator: cannot open " + path + " for writing");
    }
    ~File() { H5Fclose(id); }
};

void check(herr_t rc, const std::string& what) {
    if (rc < 0) throw std::runtime_error("generator: HDF5 " + what + " failed");
}

// "f32", "f64", "i32", "i64", or "str:N" (fixed-length text of N bytes). Caller closes str types.
hid_t type_named(const std::string& t) {
    if (t.rfind("str:", 0) == 0) {
        hid_t s = H5Tcopy(H5T_C_S1);
        H5Tset_size(s, std::stoull(t.substr(4)));
        return s;
    }
    if (t == "f32") return H5T_NATIVE_FLOAT;
    if (t == "f64") return H5T_NATIVE_DOUBLE;
    if (t == "i32") return H5T_NATIVE_INT32;
    if (t == "i64") return H5T_NATIVE_INT64;
    throw std::runtime_error("generator: unknown HDF5 type " + t);
}

hsize_t elements(hid_t space) { return hsize_t(H5Sget_simple_extent_npoints(space)); }

}  // namespace

bool apply_h5_op(const json& op, const std::string& dir) {
    const std::string name = op.at("op").get<std::string>();
    if (name.rfind("h5_", 0) != 0) return false;
    File f(in_dir(dir, op.at("file").get<std::string>()));
    const std::string path = op.at("path").get<std::string>();

    if (name == "h5_delete") {
        check(H5Ldelete(f.id, path.c_str(), H5P_DEFAULT), "delete " + path);
    } else if (name == "h5_attr_string" || name == "h5_attr_ints") {
        const std::string attr = op.at("attr").get<std::string>();
        hid_t o = H5Oopen(f.id, path.c_str(), H5P_DEFAULT);
        check(o, "open " + path);
        if (H5Aexists(o, attr.c_str()) > 0) H5Adelete(o, attr.c_str());
        if (name == "h5_attr_string") {
            std::string v = op.at("value").get<std::string>();
            hid_t t = H5Tcopy(H5T_C_S1);
            H5Tset_size(t, std::max<size_t>(1, v.size()));
            hid_t s = H5Screate(H5S_SCALAR);
            hid_t a = H5Acreate2(o, attr.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT);
            v.resize(std::max<size_t>(1, v.size()), '\0');
            check(H5Awrite(a, t, v.data()), "write attribute");
            H5Aclose(a), H5Sclose(s), H5Tclose(t);
        } else {
            std::vector<int64_t> v = op.at("values").get<std::vector<int64_t>>();
            hsize_t n = v.size();
            hid_t s = H5Screate_simple(1, &n, nullptr);
            hid_t a = H5Acreate2(o, attr.c_str(), H5T_STD_I64LE, s, H5P_DEFAULT, H5P_DEFAULT);
            check(H5Awrite(a, H5T_NATIVE_INT64, v.data()), "write attribute");
            H5Aclose(a), H5Sclose(s);
        }
        H5Oclose(o);
    } else if (name == "h5_edit") {
        // One element (flat index) set to a number ("nan", "inf" allowed), in the dataset's own type.
        hid_t d = H5Dopen2(f.id, path.c_str(), H5P_DEFAULT);
        check(d, "open " + path);
        hid_t s = H5Dget_space(d);
        std::vector<double> v(elements(s));
        check(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + path);
        const json& val = op.at("value");
        double x = val.is_string() ? std::stod(val.get<std::string>()) : val.get<double>();
        v.at(op.at("index").get<size_t>()) = x;
        check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write " + path);
        H5Sclose(s), H5Dclose(d);
    } else if (name == "h5_truncate") {
        // A 1-D dataset replaced by its first `length` values, same type.
        hid_t d = H5Dopen2(f.id, path.c_str(), H5P_DEFAULT);
        check(d, "open " + path);
        hid_t ft = H5Dget_type(d), mt = H5Tget_native_type(ft, H5T_DIR_ASCEND), s = H5Dget_space(d);
        size_t w = H5Tget_size(mt);
        std::vector<unsigned char> buf(elements(s) * w);
        check(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "read " + path);
        H5Sclose(s), H5Dclose(d);
        check(H5Ldelete(f.id, path.c_str(), H5P_DEFAULT), "delete " + path);
        hsize_t n = op.at("length").get<hsize_t>();
        hid_t ns = H5Screate_simple(1, &n, nullptr);
        hid_t nd = H5Dcreate2(f.id, path.c_str(), ft, ns, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        check(nd, "create " + path);
        if (n) check(H5Dwrite(nd, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write " + path);
        H5Dclose(nd), H5Sclose(ns), H5Tclose(mt), H5Tclose(ft);
    } else if (name == "h5_declare") {
        // Replaces `path` by a chunked dataset of the given type and shape that holds no data.
        if (H5Lexists(f.id, path.c_str(), H5P_DEFAULT) > 0) check(H5Ldelete(f.id, path.c_str(), H5P_DEFAULT), "delete");
        std::vector<hsize_t> dims = op.at("shape").get<std::vector<hsize_t>>();
        std::vector<hsize_t> chunk = op.at("chunk").get<std::vector<hsize_t>>();
        hid_t s = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
        hid_t p = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(p, int(chunk.size()), chunk.data());
        const std::string tn = op.at("type").get<std::string>();
        hid_t t = type_named(tn);
        hid_t d = H5Dcreate2(f.id, path.c_str(), t, s, H5P_DEFAULT, p, H5P_DEFAULT);
        check(d, "create " + path);
        H5Dclose(d), H5Pclose(p), H5Sclose(s);
        if (tn.rfind("str:", 0) == 0) H5Tclose(t);
    } else {
        throw std::runtime_error("generator: unknown HDF5 op " + name);
    }
    return true;
}

}  // namespace scpt::hostile
