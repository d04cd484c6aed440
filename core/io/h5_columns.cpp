#include "core/io/h5_columns.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/io/table.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"

namespace scpt::io {

namespace {
// Categories of a column of n rows: unused ones exist, but not by orders of magnitude.
int64_t max_levels(int64_t n) { return std::max<int64_t>(n, 1'000'000); }

std::string number_text(double x) {
    char b[64];
    std::snprintf(b, sizeof b, "%.10g", x);
    return b;
}

// Categories as text (they may be strings, numbers or booleans).
std::vector<std::string> category_text(const H5Source& f, const std::string& path, int64_t n) {
    H5DatasetInfo info = f.dataset_info(path);
    if (info.type == H5Type::String) return h5_read_strings(f, path, max_levels(n));
    std::vector<double> v = h5_read_double(f, path, max_levels(n));
    std::vector<std::string> out;
    out.reserve(v.size());
    bool is_bool = info.type == H5Type::Bool;
    for (double x : v) out.push_back(is_bool ? (x != 0 ? "True" : "False") : number_text(x));
    return out;
}

bool from_codes(const H5Source& f, const std::string& codes_path, const std::string& cats_path, int64_t n,
                ObsColumn& out, std::string* why) {
    H5DatasetInfo ci = f.dataset_info(codes_path);
    if (ci.shape.size() != 1 || ci.rows() != n) {
        *why = "codes have " + std::to_string(ci.rows()) + " rows";
        return false;
    }
    out.levels = category_text(f, cats_path, n);
    std::vector<int64_t> codes = h5_read_int64(f, codes_path, n);
    out.codes.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i) {
        int64_t c = codes[size_t(i)];
        if (c >= int64_t(out.levels.size()))
            throw input_error(f.name(), codes_path + " refers to category " + std::to_string(c) + " but " + cats_path +
                                            " has " + std::to_string(out.levels.size()));
        out.codes[size_t(i)] = c < 0 ? -1 : int32_t(c);
    }
    return true;
}
}  // namespace

bool h5_read_column(const H5Source& f, const std::string& frame, const std::string& name, int64_t n, ObsColumn& out,
                    std::string* why) {
    out = ObsColumn{};
    out.name = name;
    const std::string path = h5_join(frame, name);
    if (f.is_group(path)) {
        std::string enc = h5_string_attribute(f, path, "encoding-type");
        if (enc == "categorical" || (f.exists(path + "/codes") && f.exists(path + "/categories")))
            return from_codes(f, path + "/codes", path + "/categories", n, out, why);
        if (enc == "nullable-integer" || enc == "nullable-boolean" || enc == "nullable-float") {
            std::vector<double> v = h5_read_double(f, path + "/values", n);
            std::vector<double> mask = h5_read_double(f, path + "/mask", n);
            if (int64_t(v.size()) != n || mask.size() != v.size()) {
                *why = "values and mask do not have one entry per row";
                return false;
            }
            for (size_t i = 0; i < v.size(); ++i)
                if (mask[i] != 0) v[i] = std::nan("");
            if (enc == "nullable-boolean") {
                std::vector<std::string> t(v.size());
                for (size_t i = 0; i < v.size(); ++i) t[i] = std::isnan(v[i]) ? "" : (v[i] != 0 ? "True" : "False");
                out = make_obs_column(name, t);
            } else {
                out.numbers = std::move(v);
            }
            return true;
        }
        *why = "a group with encoding " + quote(enc);
        return false;
    }
    if (!f.exists(path)) throw input_error(f.name(), "has no column " + path);
    H5DatasetInfo info = f.dataset_info(path);
    if (info.shape.size() != 1 || info.rows() != n) {
        *why = info.shape.size() != 1 ? std::to_string(info.shape.size()) + "-D"
                                      : std::to_string(info.rows()) + " rows, expected " + std::to_string(n);
        return false;
    }
    switch (info.type) {
        case H5Type::String: {
            out = make_obs_column(name, h5_read_strings(f, path, n));
            return true;
        }
        case H5Type::Bool: {
            std::vector<double> v = h5_read_double(f, path, n);
            std::vector<std::string> t(v.size());
            for (size_t i = 0; i < v.size(); ++i) t[i] = v[i] != 0 ? "True" : "False";
            out = make_obs_column(name, t);
            return true;
        }
        case H5Type::Int:
        case H5Type::UInt:
        case H5Type::Float: {
            // Pre-0.7 AnnData: integer codes whose categories are stored elsewhere.
            if (info.type != H5Type::Float) {
                std::string cats = h5_join(h5_join(frame, "__categories"), name);
                std::string uns = "/uns/" + name + "_categories";
                if (h5_is_dataset(f, cats)) return from_codes(f, path, cats, n, out, why);
                if (f.has_attribute(path, "categories") && h5_is_dataset(f, uns)) return from_codes(f, path, uns, n, out, why);
            }
            out.numbers = h5_read_double(f, path, n);
            return true;
        }
        default:
            *why = "values of an unsupported type";
            return false;
    }
}

std::vector<std::string> h5_column_text(const H5Source& f, const std::string& frame, const std::string& name, int64_t n) {
    ObsColumn c;
    std::string why;
    if (!h5_read_column(f, frame, name, n, c, &why))
        throw input_error(f.name(), "column " + h5_join(frame, name) + " cannot be read as text (" + why + ")");
    std::vector<std::string> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out[size_t(i)] = c.text(i);
    return out;
}

std::vector<std::string> h5_frame_columns(const H5Source& f, const std::string& frame, const std::vector<std::string>& skip) {
    std::vector<std::string> order;
    if (f.has_attribute(frame, "column-order")) order = f.read_string_attribute(frame, "column-order");
    std::vector<std::string> members = f.children(frame);
    for (const auto& m : members)
        if (std::find(order.begin(), order.end(), m) == order.end()) order.push_back(m);
    std::vector<std::string> out;
    for (const auto& c : order) {
        if (c == "__categories" || std::find(skip.begin(), skip.end(), c) != skip.end()) continue;
        if (std::find(members.begin(), members.end(), c) == members.end()) continue;
        out.push_back(c);
    }
    return out;
}

}  // namespace scpt::io
