#include "wasm/archive_api.hpp"

#include "core/io/tenx_archive.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"
#include "wasm/js_arrays.hpp"

namespace scpt::wasm {

using emscripten::val;

namespace {

std::string bytes_of(const val& u8) {
    std::string s(js_length(u8), '\0');
    if (!s.empty()) val(emscripten::typed_memory_view(s.size(), reinterpret_cast<uint8_t*>(&s[0]))).call<void>("set", u8);
    return s;
}

val to_js(const io::ArchiveMember& m) {
    val o = val::object();
    o.set("path", m.path);
    o.set("offset", double(m.offset));
    o.set("size", double(m.size));
    o.set("storedSize", double(m.stored_size));
    o.set("method", std::string(m.method == io::ArchiveMethod::Deflate ? "deflate" : "stored"));
    o.set("crc32", double(m.crc32));
    return o;
}

io::ArchiveMember from_js(const val& o) {
    io::ArchiveMember m;
    m.path = o["path"].as<std::string>();
    m.offset = int64_t(o["offset"].as<double>());
    m.size = int64_t(o["size"].as<double>());
    m.stored_size = int64_t(o["storedSize"].as<double>());
    m.method = o["method"].as<std::string>() == "deflate" ? io::ArchiveMethod::Deflate : io::ArchiveMethod::Stored;
    m.crc32 = uint32_t(o["crc32"].as<double>());
    return m;
}

val list_to_js(const std::vector<io::ArchiveMember>& ms) {
    val a = val::array();
    for (size_t i = 0; i < ms.size(); ++i) a.set(i, to_js(ms[i]));
    return a;
}

}  // namespace

void TarLister::feed(val chunk) {
    scratch_ = bytes_of(chunk);
    parser_.feed(scratch_);
}

val TarLister::finish() {
    parser_.finish();
    std::string().swap(scratch_);
    return list_to_js(parser_.members());
}

val list_zip_members(double archive_size, val read_at, const std::string& archive_name) {
    auto read = [&](int64_t offset, int64_t n) { return bytes_of(read_at(double(offset), double(n))); };
    return list_to_js(io::list_zip(int64_t(archive_size), read, archive_name));
}

double zip_member_data_offset(val header, double header_offset, double archive_size, const std::string& path,
                              const std::string& archive_name) {
    return double(io::zip_data_offset(bytes_of(header), int64_t(header_offset), int64_t(archive_size), path, archive_name));
}

val choose_tenx_archive_members(val members, const std::string& archive_name) {
    std::vector<io::ArchiveMember> ms;
    const size_t n = js_length(members);
    for (size_t i = 0; i < n; ++i) ms.push_back(from_js(members[i]));
    std::vector<std::string> paths;
    for (const auto& m : ms) paths.push_back(m.path);
    const io::TenxArchiveChoice c = io::choose_tenx_members(paths, archive_name);
    val out = val::object();
    const std::pair<const char*, std::string> chosen[] = {{"matrix", c.matrix}, {"features", c.features}, {"barcodes", c.barcodes}};
    for (const auto& [key, path] : chosen) {
        for (const auto& m : ms)
            if (m.path == path) {
                io::check_member_size(m, archive_name, Limits{});
                out.set(key, to_js(m));
                break;
            }
    }
    out.set("folder", c.folder);
    out.set("note", c.note);
    return out;
}

}  // namespace scpt::wasm
