// A tiny HDF5 writer for tests (libhdf5 C API): builds files in the layouts the readers accept
// (Cell BLAST, broken 10x/AnnData files) from real data, so layouts without a fixture are tested.
#pragma once
#include <hdf5.h>

#include <cstring>
#include <string>
#include <vector>

namespace scpt::test {

class H5Writer {
public:
    explicit H5Writer(const std::string& path) { f_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT); }
    ~H5Writer() { H5Fclose(f_); }
    H5Writer(const H5Writer&) = delete;
    H5Writer& operator=(const H5Writer&) = delete;

    void group(const std::string& path) { H5Gclose(H5Gcreate2(f_, path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); }

    template <class T>
    void numbers(const std::string& path, const std::vector<T>& v, std::vector<hsize_t> dims = {}) {
        if (dims.empty()) dims = {hsize_t(v.size())};
        hid_t s = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
        hid_t t = type_of<T>();
        hid_t d = H5Dcreate2(f_, path.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        H5Dclose(d);
        H5Sclose(s);
    }

    void strings(const std::string& path, const std::vector<std::string>& v) {  // variable-length UTF-8
        std::vector<const char*> p;
        for (auto& s : v) p.push_back(s.c_str());
        hsize_t n = v.size();
        hid_t s = H5Screate_simple(1, &n, nullptr);
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        H5Tset_cset(t, H5T_CSET_UTF8);
        hid_t d = H5Dcreate2(f_, path.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data());
        H5Dclose(d);
        H5Tclose(t);
        H5Sclose(s);
    }

    void attr(const std::string& path, const std::string& name, const std::string& value) {
        hid_t o = H5Oopen(f_, path.c_str(), H5P_DEFAULT);
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, value.size() ? value.size() : 1);
        hid_t s = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(o, name.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT);
        std::string padded = value.size() ? value : std::string(1, '\0');
        H5Awrite(a, t, padded.data());
        H5Aclose(a);
        H5Sclose(s);
        H5Tclose(t);
        H5Oclose(o);
    }

    void attr_ints(const std::string& path, const std::string& name, const std::vector<int64_t>& v) {
        hid_t o = H5Oopen(f_, path.c_str(), H5P_DEFAULT);
        hsize_t n = v.size();
        hid_t s = H5Screate_simple(1, &n, nullptr);
        hid_t a = H5Acreate2(o, name.c_str(), H5T_NATIVE_INT64, s, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, H5T_NATIVE_INT64, v.data());
        H5Aclose(a);
        H5Sclose(s);
        H5Oclose(o);
    }

private:
    template <class T>
    static hid_t type_of() {
        if (std::is_same<T, float>::value) return H5T_NATIVE_FLOAT;
        if (std::is_same<T, double>::value) return H5T_NATIVE_DOUBLE;
        if (std::is_same<T, int32_t>::value) return H5T_NATIVE_INT32;
        if (std::is_same<T, int8_t>::value) return H5T_NATIVE_INT8;
        return H5T_NATIVE_INT64;
    }
    hid_t f_;
};

}  // namespace scpt::test
