#include "wasm/h5_val_source.hpp"

#include <emscripten/bind.h>

#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_object.hpp"

namespace scpt::wasm {

using emscripten::val;

ValH5Source::ValH5Source(val js) : js_(std::move(js)), name_(js_["name"].as<std::string>()) {}

template <class... Args>
val ValH5Source::call(const char* method, const std::string& what, Args&&... args) const {
    val r = js_.call<val>(method, std::forward<Args>(args)...);
    if (absent(r)) {
        val err = js_["lastError"];
        std::string why = err.isString() ? err.as<std::string>() : std::string("cannot be read");
        throw input_error(name_, what + ": " + why);
    }
    return r;
}

bool ValH5Source::exists(const std::string& path) const { return js_.call<bool>("exists", path); }
bool ValH5Source::is_group(const std::string& path) const { return js_.call<bool>("isGroup", path); }

std::vector<std::string> ValH5Source::children(const std::string& group) const {
    val a = call("children", group, group);
    std::vector<std::string> out;
    const size_t n = js_length(a);
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(a[i].as<std::string>());
    return out;
}

io::H5DatasetInfo ValH5Source::dataset_info(const std::string& path) const {
    val d = call("datasetInfo", path, path);
    io::H5DatasetInfo info;
    const std::string t = d["type"].as<std::string>();
    info.type = t == "int" ? io::H5Type::Int : t == "uint" ? io::H5Type::UInt : t == "float" ? io::H5Type::Float
              : t == "bool" ? io::H5Type::Bool : t == "string" ? io::H5Type::String : io::H5Type::Other;
    info.width = d["width"].as<int>();
    info.variable_string = d["variableString"].as<bool>();
    val shape = d["shape"];
    for (size_t i = 0, n = js_length(shape); i < n; ++i) info.shape.push_back(int64_t(shape[i].as<double>()));
    val stored = d["storedBytes"];
    if (stored.isNumber()) info.stored_bytes = int64_t(stored.as<double>());
    return info;
}

template <class T>
void ValH5Source::read_into(const std::string& path, int64_t first, int64_t count, T* out) const {
    io::H5DatasetInfo info = dataset_info(path);
    if (info.type == io::H5Type::String || info.type == io::H5Type::Other)
        throw input_error(name_, path + " holds " + io::h5_type_name(info.type) + " values where numbers were expected");
    if (first < 0 || count < 0 || first + count > info.rows())
        throw input_error(name_, path + ": rows " + std::to_string(first) + "+" + std::to_string(count) +
                                     " are outside its " + std::to_string(info.rows()) + " rows");
    const size_t n = size_t(count * info.row_size());
    if (n == 0) return;
    val a = call("readNumbers", path, path, double(first), double(count));
    if (js_length(a) != n)
        throw input_error(name_, path + ": read " + std::to_string(js_length(a)) + " values, expected " + std::to_string(n));
    // TypedArray.set converts element types like a C cast for in-range values.
    val(emscripten::typed_memory_view(n, out)).call<void>("set", a);
}

void ValH5Source::read_int64(const std::string& path, int64_t first, int64_t count, int64_t* out) const {
    // No BigInt64Array views in this Embind: go through doubles (exact below 2^53, as h5wasm gives).
    io::H5DatasetInfo info = dataset_info(path);
    std::vector<double> tmp(size_t(count * info.row_size()));
    read_into(path, first, count, tmp.data());
    for (size_t i = 0; i < tmp.size(); ++i) out[i] = int64_t(tmp[i]);
}
void ValH5Source::read_int32(const std::string& path, int64_t first, int64_t count, int32_t* out) const {
    read_into(path, first, count, out);
}
void ValH5Source::read_float(const std::string& path, int64_t first, int64_t count, float* out) const {
    read_into(path, first, count, out);
}
void ValH5Source::read_double(const std::string& path, int64_t first, int64_t count, double* out) const {
    read_into(path, first, count, out);
}

std::vector<std::string> ValH5Source::read_strings(const std::string& path, int64_t first, int64_t count) const {
    io::H5DatasetInfo info = dataset_info(path);
    if (info.type != io::H5Type::String)
        throw input_error(name_, path + " holds " + std::string(io::h5_type_name(info.type)) + " values where text was expected");
    if (first < 0 || count < 0 || first + count > info.rows())
        throw input_error(name_, path + ": rows outside the dataset");
    // One joined string instead of one call per element (see js_arrays.hpp).
    const size_t n = size_t(count * info.row_size());
    if (n == 0) return {};
    val joined = call("readStringsJoined", path, path, double(first), double(count));
    std::vector<std::string> out = split_on(joined.as<std::string>(), '\x1f', n);
    if (out.size() != n)
        throw input_error(name_, path + ": read " + std::to_string(out.size()) + " strings, expected " + std::to_string(n));
    return out;
}

bool ValH5Source::has_attribute(const std::string& path, const std::string& attr) const {
    return js_.call<bool>("hasAttribute", path, attr);
}

std::vector<std::string> ValH5Source::read_string_attribute(const std::string& path, const std::string& attr) const {
    val a = call("stringAttribute", path + " attribute " + attr, path, attr);
    std::vector<std::string> out;
    for (size_t i = 0, n = js_length(a); i < n; ++i) out.push_back(a[i].as<std::string>());
    return out;
}

std::vector<int64_t> ValH5Source::read_int_attribute(const std::string& path, const std::string& attr) const {
    val a = call("intAttribute", path + " attribute " + attr, path, attr);
    std::vector<int64_t> out;
    for (size_t i = 0, n = js_length(a); i < n; ++i) out.push_back(int64_t(a[i].as<double>()));
    return out;
}

}  // namespace scpt::wasm
