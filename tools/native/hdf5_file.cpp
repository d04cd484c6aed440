#include "tools/native/hdf5_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "core/io/read_failures.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"
#include "tools/native/files.hpp"

namespace scpt::native {

// ---- LZF (filter 32000) ----

size_t lzf_decompress(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len, bool* too_small) {
    const uint8_t* ip = in;
    const uint8_t* const in_end = in + in_len;
    uint8_t* op = out;
    uint8_t* const out_end = out + out_len;
    *too_small = false;
    while (ip < in_end) {
        unsigned ctrl = *ip++;
        if (ctrl < 32) {  // literal run of ctrl + 1 bytes
            size_t len = ctrl + 1;
            if (size_t(out_end - op) < len) { *too_small = true; return 0; }
            if (size_t(in_end - ip) < len) return 0;
            std::memcpy(op, ip, len);
            op += len;
            ip += len;
        } else {  // back reference: length (ctrl >> 5) + 2, offset from the low 5 bits and the next byte
            size_t len = ctrl >> 5;
            if (ip >= in_end) return 0;
            if (len == 7) {
                len += *ip++;
                if (ip >= in_end) return 0;
            }
            size_t back = (size_t(ctrl & 0x1f) << 8) + *ip++ + 1;
            len += 2;
            if (back > size_t(op - out)) return 0;
            if (size_t(out_end - op) < len) { *too_small = true; return 0; }
            const uint8_t* ref = op - back;
            for (size_t k = 0; k < len; ++k) *op++ = *ref++;  // may overlap: byte by byte
        }
    }
    return size_t(op - out);
}

namespace {

size_t lzf_filter(unsigned flags, size_t cd_nelmts, const unsigned cd_values[], size_t nbytes, size_t* buf_size,
                  void** buf) {
    if (!(flags & H5Z_FLAG_REVERSE)) return 0;  // reading only
    size_t out_size = (cd_nelmts >= 3 && cd_values[2] != 0) ? cd_values[2] : *buf_size;
    for (int attempt = 0; attempt < 8; ++attempt) {
        void* out = std::malloc(out_size);
        if (!out) return 0;
        bool too_small = false;
        size_t got = lzf_decompress(static_cast<uint8_t*>(*buf), nbytes, static_cast<uint8_t*>(out), out_size, &too_small);
        if (got > 0) {
            std::free(*buf);
            *buf = out;
            *buf_size = out_size;
            return got;
        }
        std::free(out);
        if (!too_small) return 0;
        out_size *= 2;
    }
    return 0;
}

void register_lzf_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        static const H5Z_class2_t cls = {H5Z_CLASS_T_VERS, H5Z_filter_t(32000), 1, 1, "lzf (scpt reader)",
                                         nullptr, nullptr, reinterpret_cast<H5Z_func_t>(lzf_filter)};
        if (H5Zfilter_avail(H5Z_filter_t(32000)) <= 0) H5Zregister(&cls);
    });
}

// Closes an hid_t with the right function when it leaves scope.
struct Hid {
    hid_t id = -1;
    herr_t (*close)(hid_t) = nullptr;
    Hid(hid_t i, herr_t (*c)(hid_t)) : id(i), close(c) {}
    ~Hid() {
        if (id >= 0 && close) close(id);
    }
    Hid(const Hid&) = delete;
    Hid& operator=(const Hid&) = delete;
    operator hid_t() const { return id; }
    bool ok() const { return id >= 0; }
};

}  // namespace

std::unique_ptr<Hdf5File> Hdf5File::open(const std::string& path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become InputError, not stderr dumps
    register_lzf_once();
    if (!::scpt::native::exists(path)) throw input_error(path, "does not exist");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw input_error(path, "is not an HDF5 file");
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) throw input_error(path, io::read_failure(io::ReadFailure::Hdf5Unopenable));
    return std::unique_ptr<Hdf5File>(new Hdf5File(f, path));
}

std::unique_ptr<Hdf5File> Hdf5File::open_image(const std::string& name, const std::string& bytes) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    register_lzf_once();
    Hid fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_fapl_core(fapl, 1 << 20, 0);  // in memory, never written back
    if (H5Pset_file_image(fapl, const_cast<char*>(bytes.data()), bytes.size()) < 0)
        throw input_error(name, io::read_failure(io::ReadFailure::Hdf5Unopenable));
    hid_t f = H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl);
    if (f < 0) throw input_error(name, io::read_failure(io::ReadFailure::Hdf5Unopenable));
    return std::unique_ptr<Hdf5File>(new Hdf5File(f, name));
}

Hdf5File::~Hdf5File() { H5Fclose(hid_t(file_)); }

bool Hdf5File::exists(const std::string& path) const {
    if (path == "/") return true;
    if (path.empty() || path[0] != '/') return false;
    // H5Lexists fails on a missing parent: check each prefix.
    size_t pos = 1;
    for (;;) {
        size_t slash = path.find('/', pos);
        std::string prefix = path.substr(0, slash);
        if (H5Lexists(hid_t(file_), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        if (slash == std::string::npos) break;
        pos = slash + 1;
    }
    return H5Oexists_by_name(hid_t(file_), path.c_str(), H5P_DEFAULT) > 0;
}

bool Hdf5File::is_group(const std::string& path) const {
    if (!exists(path)) return false;
    Hid o(H5Oopen(hid_t(file_), path.c_str(), H5P_DEFAULT), H5Oclose);
    return o.ok() && H5Iget_type(o) == H5I_GROUP;
}

std::vector<std::string> Hdf5File::children(const std::string& group) const {
    if (!is_group(group)) throw input_error(name_, "has no group " + group);
    Hid g(H5Gopen2(hid_t(file_), group.c_str(), H5P_DEFAULT), H5Gclose);
    std::vector<std::string> names;
    auto cb = [](hid_t, const char* n, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(n);
        return 0;
    };
    hsize_t idx = 0;
    if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, cb, &names) < 0)
        throw input_error(name_, "cannot list group " + group);
    return names;
}

namespace {
io::H5Type classify(hid_t t, int* width, bool* vstr) {
    *width = int(H5Tget_size(t));
    *vstr = false;
    switch (H5Tget_class(t)) {
        case H5T_INTEGER: return H5Tget_sign(t) == H5T_SGN_NONE ? io::H5Type::UInt : io::H5Type::Int;
        case H5T_FLOAT: return io::H5Type::Float;
        case H5T_STRING:
            if (H5Tis_variable_str(t) > 0) {
                *vstr = true;
                *width = 0;
            }
            return io::H5Type::String;
        case H5T_ENUM: {
            int n = H5Tget_nmembers(t);
            if (n == 2) {
                char* a = H5Tget_member_name(t, 0);
                char* b = H5Tget_member_name(t, 1);
                bool is_bool = a && b && std::strcmp(a, "FALSE") == 0 && std::strcmp(b, "TRUE") == 0;
                H5free_memory(a);
                H5free_memory(b);
                if (is_bool) return io::H5Type::Bool;
            }
            Hid super(H5Tget_super(t), H5Tclose);
            return H5Tget_sign(super) == H5T_SGN_NONE ? io::H5Type::UInt : io::H5Type::Int;
        }
        default: return io::H5Type::Other;
    }
}
}  // namespace

io::H5DatasetInfo Hdf5File::dataset_info(const std::string& path) const {
    if (!exists(path) || is_group(path)) throw input_error(name_, "has no dataset " + path);
    Hid d(H5Dopen2(hid_t(file_), path.c_str(), H5P_DEFAULT), H5Dclose);
    Hid t(H5Dget_type(d), H5Tclose);
    Hid s(H5Dget_space(d), H5Sclose);
    if (!d.ok() || !t.ok() || !s.ok()) throw input_error(name_, "cannot open dataset " + path);
    io::H5DatasetInfo info;
    info.type = classify(t, &info.width, &info.variable_string);
    int nd = H5Sget_simple_extent_ndims(s);
    if (nd < 0) throw input_error(name_, "cannot read the shape of " + path);
    std::vector<hsize_t> dims(static_cast<size_t>(nd));
    if (nd > 0) H5Sget_simple_extent_dims(s, dims.data(), nullptr);
    if (H5Sget_simple_extent_type(s) == H5S_NULL) dims.assign(1, 0);
    for (hsize_t d0 : dims) info.shape.push_back(d0 > hsize_t(INT64_MAX) ? INT64_MAX : int64_t(d0));
    info.stored_bytes = int64_t(std::min<hsize_t>(H5Dget_storage_size(d), hsize_t(INT64_MAX)));
    return info;
}

void Hdf5File::read_numeric(const std::string& path, int64_t first, int64_t count, int64_t mem_type, void* out,
                            size_t out_elem) const {
    io::H5DatasetInfo info = dataset_info(path);
    if (info.type == io::H5Type::String || info.type == io::H5Type::Other)
        throw input_error(name_, path + " holds " + io::h5_type_name(info.type) + " values, expected numbers");
    if (first < 0 || count < 0 || first + count > info.rows())
        throw input_error(name_, "rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                                     " are outside " + path + " (" + std::to_string(info.rows()) + " rows)");
    if (count == 0) return;
    Hid d(H5Dopen2(hid_t(file_), path.c_str(), H5P_DEFAULT), H5Dclose);
    Hid fspace(H5Dget_space(d), H5Sclose);
    std::vector<hsize_t> start(info.shape.size(), 0), cnt(info.shape.begin(), info.shape.end());
    hid_t mspace_id = H5S_ALL;
    Hid mspace(-1, H5Sclose);
    if (!info.shape.empty()) {
        start[0] = hsize_t(first);
        cnt[0] = hsize_t(count);
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr);
        mspace.id = H5Screate_simple(int(cnt.size()), cnt.data(), nullptr);
        mspace_id = mspace.id;
    }
    const int64_t n = count * info.row_size();
    herr_t rc;
    Hid ftype(H5Dget_type(d), H5Tclose);
    if (H5Tget_class(ftype) == H5T_ENUM) {
        // libhdf5 does not convert enums to integers: read the enum's own bytes and widen them.
        Hid super(H5Tget_super(ftype), H5Tclose);
        Hid native(H5Tget_native_type(super, H5T_DIR_ASCEND), H5Tclose);
        size_t w = H5Tget_size(native);
        bool is_signed = H5Tget_sign(native) != H5T_SGN_NONE;
        Hid mem_enum(H5Tget_native_type(ftype, H5T_DIR_ASCEND), H5Tclose);
        std::vector<unsigned char> raw(size_t(n) * w);
        rc = H5Dread(d, mem_enum, mspace_id, fspace, H5P_DEFAULT, raw.data());
        if (rc < 0) throw input_error(name_, "cannot read " + path + " (damaged file?)");
        for (int64_t i = 0; i < n; ++i) {
            int64_t v = 0;
            const unsigned char* p = raw.data() + size_t(i) * w;
            if (w == 1) v = is_signed ? int64_t(int8_t(p[0])) : int64_t(p[0]);
            else if (w == 2) { int16_t x; std::memcpy(&x, p, 2); v = is_signed ? x : int64_t(uint16_t(x)); }
            else if (w == 4) { int32_t x; std::memcpy(&x, p, 4); v = is_signed ? x : int64_t(uint32_t(x)); }
            else { std::memcpy(&v, p, 8); }
            char* o = static_cast<char*>(out) + size_t(i) * out_elem;
            if (mem_type == int64_t(H5T_NATIVE_INT64)) *reinterpret_cast<int64_t*>(o) = v;
            else if (mem_type == int64_t(H5T_NATIVE_INT32)) *reinterpret_cast<int32_t*>(o) = int32_t(v);
            else if (mem_type == int64_t(H5T_NATIVE_FLOAT)) *reinterpret_cast<float*>(o) = float(v);
            else *reinterpret_cast<double*>(o) = double(v);
        }
        return;
    }
    rc = H5Dread(d, hid_t(mem_type), mspace_id, fspace, H5P_DEFAULT, out);
    if (rc < 0)
        throw input_error(name_, "cannot read " + path +
                                     " (damaged file, or compressed with a filter this build lacks)");
}

void Hdf5File::read_int64(const std::string& p, int64_t first, int64_t count, int64_t* out) const {
    read_numeric(p, first, count, int64_t(H5T_NATIVE_INT64), out, sizeof *out);
}
void Hdf5File::read_int32(const std::string& p, int64_t first, int64_t count, int32_t* out) const {
    read_numeric(p, first, count, int64_t(H5T_NATIVE_INT32), out, sizeof *out);
}
void Hdf5File::read_float(const std::string& p, int64_t first, int64_t count, float* out) const {
    read_numeric(p, first, count, int64_t(H5T_NATIVE_FLOAT), out, sizeof *out);
}
void Hdf5File::read_double(const std::string& p, int64_t first, int64_t count, double* out) const {
    read_numeric(p, first, count, int64_t(H5T_NATIVE_DOUBLE), out, sizeof *out);
}

namespace {
// Reads n strings of type ftype from a dataset or attribute via `read(memtype, buffer)`.
// Returns false when libhdf5 fails to read.
template <class ReadFn, class ReclaimFn>
bool read_string_values(hid_t ftype, size_t n, ReadFn read, ReclaimFn reclaim, std::vector<std::string>& out) {
    out.clear();
    out.reserve(n);
    if (H5Tis_variable_str(ftype) > 0) {
        Hid mt(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ftype));
        std::vector<char*> ptrs(n, nullptr);
        if (n && read(hid_t(mt), static_cast<void*>(ptrs.data())) < 0) return false;
        for (char* p : ptrs) out.emplace_back(p ? p : "");
        if (n) reclaim(hid_t(mt), static_cast<void*>(ptrs.data()));
    } else {
        size_t w = H5Tget_size(ftype);
        Hid mt(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mt, w);
        H5Tset_cset(mt, H5Tget_cset(ftype));
        H5Tset_strpad(mt, H5T_STR_NULLPAD);
        std::vector<char> buf(n * w + 1, 0);
        if (n && read(hid_t(mt), static_cast<void*>(buf.data())) < 0) return false;
        bool spacepad = H5Tget_strpad(ftype) == H5T_STR_SPACEPAD;
        for (size_t i = 0; i < n; ++i) {
            const char* p = buf.data() + i * w;
            size_t len = strnlen(p, w);
            if (spacepad)
                while (len > 0 && p[len - 1] == ' ') --len;
            out.emplace_back(p, len);
        }
    }
    return true;
}
}  // namespace

std::vector<std::string> Hdf5File::read_strings(const std::string& path, int64_t first, int64_t count) const {
    io::H5DatasetInfo info = dataset_info(path);
    if (info.type != io::H5Type::String)
        throw input_error(name_, path + " holds " + io::h5_type_name(info.type) + " values, expected text");
    if (first < 0 || count < 0 || first + count > info.rows())
        throw input_error(name_, "rows outside " + path);
    Hid d(H5Dopen2(hid_t(file_), path.c_str(), H5P_DEFAULT), H5Dclose);
    Hid ftype(H5Dget_type(d), H5Tclose);
    Hid fspace(H5Dget_space(d), H5Sclose);
    hid_t mspace_id = H5S_ALL;
    Hid mspace(-1, H5Sclose);
    size_t n = size_t(count * info.row_size());
    // Fixed-length text is read into n * width bytes: refuse absurd widths before allocating.
    if (!info.variable_string && (info.width > 65536 || Limits::product(int64_t(n), info.width) > (int64_t(1) << 31)))
        throw input_error(name_, path + " holds " + std::to_string(n) + " text values of " + std::to_string(info.width) +
                                     " bytes each, too large to read (the file may be corrupt)");
    if (!info.shape.empty()) {
        std::vector<hsize_t> start(info.shape.size(), 0), cnt(info.shape.begin(), info.shape.end());
        start[0] = hsize_t(first);
        cnt[0] = hsize_t(count);
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr);
        mspace.id = H5Screate_simple(int(cnt.size()), cnt.data(), nullptr);
        mspace_id = mspace.id;
    }
    hid_t fs = fspace;
    std::vector<std::string> v;
    bool ok = read_string_values(
        ftype, n, [&](hid_t mt, void* buf) { return H5Dread(d, mt, mspace_id, fs, H5P_DEFAULT, buf); },
        [&](hid_t mt, void* buf) {
            hid_t space = mspace_id == H5S_ALL ? fs : mspace_id;
            H5Dvlen_reclaim(mt, space, H5P_DEFAULT, buf);
        },
        v);
    if (!ok) throw input_error(name_, "cannot read text from " + path);
    return v;
}

bool Hdf5File::has_attribute(const std::string& path, const std::string& attr) const {
    if (!exists(path)) return false;
    return H5Aexists_by_name(hid_t(file_), path.c_str(), attr.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> Hdf5File::read_string_attribute(const std::string& path, const std::string& attr) const {
    if (!has_attribute(path, attr)) throw input_error(name_, path + " has no attribute '" + attr + "'");
    Hid a(H5Aopen_by_name(hid_t(file_), path.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    Hid t(H5Aget_type(a), H5Tclose);
    Hid s(H5Aget_space(a), H5Sclose);
    hssize_t n = H5Sget_simple_extent_npoints(s);
    if (H5Sget_simple_extent_type(s) == H5S_NULL || n <= 0) return {};
    if (H5Tget_class(t) != H5T_STRING) throw input_error(name_, "attribute '" + attr + "' of " + path + " is not text");
    hid_t sp = s;
    std::vector<std::string> v;
    bool ok = read_string_values(
        t, size_t(n), [&](hid_t mt, void* buf) { return H5Aread(a, mt, buf); },
        [&](hid_t mt, void* buf) { H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf); }, v);
    if (!ok) throw input_error(name_, "cannot read attribute '" + attr + "' of " + path);
    return v;
}

std::vector<int64_t> Hdf5File::read_int_attribute(const std::string& path, const std::string& attr) const {
    if (!has_attribute(path, attr)) throw input_error(name_, path + " has no attribute '" + attr + "'");
    Hid a(H5Aopen_by_name(hid_t(file_), path.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    Hid t(H5Aget_type(a), H5Tclose);
    Hid s(H5Aget_space(a), H5Sclose);
    hssize_t n = H5Sget_simple_extent_npoints(s);
    if (H5Sget_simple_extent_type(s) == H5S_NULL || n <= 0) return {};
    H5T_class_t c = H5Tget_class(t);
    if (c != H5T_INTEGER && c != H5T_FLOAT)
        throw input_error(name_, "attribute '" + attr + "' of " + path + " is not a number");
    std::vector<int64_t> v(static_cast<size_t>(n));
    if (c == H5T_FLOAT) {
        std::vector<double> d(static_cast<size_t>(n));
        if (H5Aread(a, H5T_NATIVE_DOUBLE, d.data()) < 0) throw input_error(name_, "cannot read attribute '" + attr + "' of " + path);
        for (size_t i = 0; i < d.size(); ++i) v[i] = int64_t(d[i]);
    } else if (H5Aread(a, H5T_NATIVE_INT64, v.data()) < 0) {
        throw input_error(name_, "cannot read attribute '" + attr + "' of " + path);
    }
    return v;
}

}  // namespace scpt::native
