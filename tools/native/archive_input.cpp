#include "tools/native/archive_input.hpp"

#include <fstream>
#include <map>
#include <set>

#include "core/io/archive.hpp"
#include "core/io/gzip.hpp"
#include "core/io/tenx_archive.hpp"
#include "core/io/tenx_folder.hpp"
#include "core/util/error.hpp"

namespace scpt::native {

namespace {

io::ArchiveKind archive_kind(std::string_view head, bool* gzipped) {
    *gzipped = io::is_gzip(head);
    if (!*gzipped) return io::sniff_archive(head);
    const std::string plain = io::gunzip_prefix(head, 1024);
    return io::sniff_archive(plain) == io::ArchiveKind::Tar ? io::ArchiveKind::Tar : io::ArchiveKind::None;
}

// Feeds the whole (gunzipped) tar stream of `path` to `parser`.
void stream_tar(const std::string& path, bool gzipped, const io::ReadOptions& o, io::TarParser& parser) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw input_error(path, "cannot be opened");
    std::unique_ptr<io::GzipInflater> gz;
    if (gzipped) gz = std::make_unique<io::GzipInflater>(path, o.limits.max_inflated_bytes);
    std::string block(4 << 20, '\0');
    while (f) {
        if (o.control) o.control->check_cancel();
        f.read(&block[0], std::streamsize(block.size()));
        const std::streamsize got = f.gcount();
        if (got <= 0) break;
        const std::string_view piece(block.data(), size_t(got));
        if (gz) gz->feed(piece, [&](std::string_view plain) { parser.feed(plain); });
        else parser.feed(piece);
    }
    if (f.bad()) throw input_error(path, "could not be read to the end");
    if (gz) gz->finish();
    parser.finish();
}

std::vector<std::string> paths_of(const std::vector<io::ArchiveMember>& members) {
    std::vector<std::string> v;
    for (const auto& m : members) v.push_back(m.path);
    return v;
}

// The chosen members' bytes, by path.
std::map<std::string, std::string> tar_members(const std::string& path, bool gzipped, const io::ReadOptions& o,
                                               io::TenxArchiveChoice& choice) {
    io::TarParser lister(path);
    stream_tar(path, gzipped, o, lister);
    choice = io::choose_tenx_members(paths_of(lister.members()), path);
    const std::set<std::string> wanted{choice.matrix, choice.features, choice.barcodes};
    std::map<std::string, std::string> bytes;
    io::TarParser taker(
        path,
        [&](const io::ArchiveMember& m) {
            if (!wanted.count(m.path) || bytes.count(m.path)) return false;  // a repeated path: the first copy
            io::check_member_size(m, path, o.limits);
            bytes[m.path].reserve(size_t(m.size));
            return true;
        },
        [&](const io::ArchiveMember& m, std::string_view piece) { bytes[m.path].append(piece); });
    stream_tar(path, gzipped, o, taker);
    return bytes;
}

std::map<std::string, std::string> zip_members(const std::string& path, const io::ReadOptions& o, io::TenxArchiveChoice& choice) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw input_error(path, "cannot be opened");
    f.seekg(0, std::ios::end);
    const int64_t size = int64_t(f.tellg());
    auto read_at = [&](int64_t offset, int64_t n) {
        std::string s(size_t(std::max<int64_t>(0, std::min(n, size - offset))), '\0');
        f.clear();
        f.seekg(offset);
        f.read(&s[0], std::streamsize(s.size()));
        s.resize(size_t(f.gcount()));
        return s;
    };
    const std::vector<io::ArchiveMember> members = io::list_zip(size, read_at, path);
    choice = io::choose_tenx_members(paths_of(members), path);
    std::map<std::string, std::string> bytes;
    for (const std::string& want : {choice.matrix, choice.features, choice.barcodes}) {
        for (const auto& m : members) {
            if (m.path != want) continue;
            if (o.control) o.control->check_cancel();
            io::check_member_size(m, path, o.limits);
            const std::string what = path + ":" + m.path;
            const int64_t data = io::zip_data_offset(read_at(m.offset, 30), m.offset, size, m.path, path);
            if (m.stored_size > size - data) throw input_error(path, "is damaged: " + m.path + " runs past the end of the file");
            std::string stored = read_at(data, m.stored_size);
            std::string plain = m.method == io::ArchiveMethod::Deflate ? io::inflate_raw(stored, what, m.size) : std::move(stored);
            if (io::crc32_update(0, plain) != m.crc32)
                throw input_error(what, "is corrupt (its CRC-32 does not match the archive's; the download or copy may be damaged)");
            bytes[m.path] = std::move(plain);
            break;
        }
    }
    return bytes;
}

}  // namespace

bool is_archive(std::string_view head) {
    bool gzipped = false;
    return archive_kind(head, &gzipped) != io::ArchiveKind::None;
}

CellMatrix read_tenx_archive(const std::string& path, const io::ReadOptions& o) {
    std::string head;
    {
        std::ifstream f(path, std::ios::binary);
        if (!f) throw input_error(path, "cannot be opened");
        head.resize(4096);
        f.read(&head[0], std::streamsize(head.size()));
        head.resize(size_t(f.gcount()));
    }
    bool gzipped = false;
    const io::ArchiveKind kind = archive_kind(head, &gzipped);
    io::TenxArchiveChoice choice;
    std::map<std::string, std::string> bytes = kind == io::ArchiveKind::Zip ? zip_members(path, o, choice)
                                                                             : tar_members(path, gzipped, o, choice);
    io::TenxFolderInput in{bytes[choice.matrix], bytes[choice.features], bytes[choice.barcodes],
                           path + ":" + choice.matrix, path + ":" + choice.features, path + ":" + choice.barcodes};
    CellMatrix m = io::read_tenx_folder(in, o);
    if (!choice.note.empty()) m.notes.insert(m.notes.begin(), choice.note);
    return m;
}

}  // namespace scpt::native
