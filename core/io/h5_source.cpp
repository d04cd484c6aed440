#include "core/io/h5_source.hpp"

#include "core/util/error.hpp"
#include "core/util/limits.hpp"

namespace scpt::io {

const char* h5_type_name(H5Type t) {
    switch (t) {
        case H5Type::Int: return "integer";
        case H5Type::UInt: return "unsigned integer";
        case H5Type::Float: return "float";
        case H5Type::Bool: return "boolean";
        case H5Type::String: return "string";
        default: return "unsupported type";
    }
}

int64_t H5DatasetInfo::row_size() const {
    int64_t n = 1;
    for (size_t i = 1; i < shape.size(); ++i) n = shape[i] < 0 ? -1 : Limits::product(n, shape[i]);
    return n;
}

int64_t H5DatasetInfo::elements() const {
    return rows() < 0 || row_size() < 0 ? -1 : Limits::product(rows(), row_size());
}

std::string h5_join(const std::string& group, const std::string& child) {
    if (group.empty() || group == "/") return "/" + child;
    return group + "/" + child;
}

bool h5_is_dataset(const H5Source& f, const std::string& path) { return f.exists(path) && !f.is_group(path); }

void h5_require_dataset(const H5Source& f, const std::string& path, const std::string& why) {
    if (!h5_is_dataset(f, path))
        throw input_error(f.name(), "has no dataset " + path + (why.empty() ? "" : " (" + why + ")"));
}

void h5_require_stored(const H5Source& f, const std::string& path, const H5DatasetInfo& info) {
    if (info.stored_bytes == 0 && info.elements() > 0)
        throw input_error(f.name(), path + " declares " + std::to_string(info.elements()) +
                                        " values but stores none (the file is incomplete or was never written)");
}

namespace {
constexpr int64_t kMaxTextBytes = int64_t(1) << 31;
constexpr int64_t kMaxTextWidth = 65536;

template <class T, class Read>
std::vector<T> read_whole(const H5Source& f, const std::string& path, int64_t max_elements, Read read) {
    h5_require_dataset(f, path, "");
    H5DatasetInfo info = f.dataset_info(path);
    Limits::check(f.name() + ": " + path, "values", info.elements(), max_elements);
    std::vector<T> out(size_t(info.elements()));
    if (!out.empty()) read(path, info.rows(), out.data());
    return out;
}
}  // namespace

std::vector<int64_t> h5_read_int64(const H5Source& f, const std::string& path, int64_t max_elements) {
    return read_whole<int64_t>(f, path, max_elements,
                               [&](const std::string& p, int64_t rows, int64_t* out) { f.read_int64(p, 0, rows, out); });
}

std::vector<double> h5_read_double(const H5Source& f, const std::string& path, int64_t max_elements) {
    return read_whole<double>(f, path, max_elements,
                              [&](const std::string& p, int64_t rows, double* out) { f.read_double(p, 0, rows, out); });
}

std::vector<std::string> h5_read_strings(const H5Source& f, const std::string& path, int64_t max_elements) {
    h5_require_dataset(f, path, "");
    H5DatasetInfo info = f.dataset_info(path);
    Limits::check(f.name() + ": " + path, "values", info.elements(), max_elements);
    if (info.type != H5Type::String)
        throw input_error(f.name(), path + " holds " + h5_type_name(info.type) + " values, expected text");
    if (info.width > kMaxTextWidth)
        throw input_error(f.name(), path + " holds text of " + std::to_string(info.width) +
                                        " bytes per value, too long for names (the file may be corrupt)");
    Limits::check(f.name() + ": " + path, "bytes of text", Limits::product(info.elements(), info.width), kMaxTextBytes);
    return f.read_strings(path, 0, info.rows());
}

std::string h5_string_attribute(const H5Source& f, const std::string& path, const std::string& attr,
                                const std::string& fallback) {
    if (!f.exists(path) || !f.has_attribute(path, attr)) return fallback;
    std::vector<std::string> v = f.read_string_attribute(path, attr);
    return v.empty() ? fallback : v[0];
}

}  // namespace scpt::io
