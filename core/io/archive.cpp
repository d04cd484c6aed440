#include "core/io/archive.hpp"

#include <algorithm>
#include <array>

#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {

constexpr int64_t kBlock = 512;
constexpr int64_t kMaxMetaBytes = 1 << 20;  // a long name or pax header beyond this is not a real one

uint32_t le16(std::string_view b, size_t at) { return uint32_t(uint8_t(b[at])) | uint32_t(uint8_t(b[at + 1])) << 8; }
uint32_t le32(std::string_view b, size_t at) { return le16(b, at) | le16(b, at + 2) << 16; }
uint64_t le64(std::string_view b, size_t at) { return uint64_t(le32(b, at)) | uint64_t(le32(b, at + 4)) << 32; }

// A NUL-terminated (or full-width) text field of a tar header.
std::string field(std::string_view block, size_t at, size_t width) {
    std::string_view f = block.substr(at, width);
    return std::string(f.substr(0, f.find('\0')));
}

// A tar number: octal text (spaces and NULs around it), or GNU base-256 when the top bit is set.
// Returns -1 when it is neither.
int64_t tar_number(std::string_view block, size_t at, size_t width) {
    std::string_view f = block.substr(at, width);
    if (uint8_t(f[0]) & 0x80) {
        if (uint8_t(f[0]) != 0x80) return -1;  // negative (0xff) or too large
        uint64_t v = 0;
        for (size_t i = 1; i < f.size(); ++i) {
            if (v >> 55) return -1;
            v = v << 8 | uint8_t(f[i]);
        }
        return v > uint64_t(INT64_MAX) ? -1 : int64_t(v);
    }
    size_t i = 0;
    while (i < f.size() && f[i] == ' ') ++i;
    int64_t v = 0;
    bool any = false;
    for (; i < f.size() && f[i] >= '0' && f[i] <= '7'; ++i, any = true) v = v * 8 + (f[i] - '0');
    for (; i < f.size(); ++i)
        if (f[i] != ' ' && f[i] != '\0') return -1;
    return any ? v : 0;
}

std::string clean_path(std::string p) {
    while (starts_with(p, "./")) p.erase(0, 2);
    while (!p.empty() && p[0] == '/') p.erase(0, 1);
    return p;
}

}  // namespace

ArchiveKind sniff_archive(std::string_view head) {
    if (head.size() >= 4 && head.substr(0, 2) == "PK" &&
        ((head[2] == '\3' && head[3] == '\4') || (head[2] == '\5' && head[3] == '\6')))
        return ArchiveKind::Zip;
    if (head.size() >= 262 && head.substr(257, 5) == "ustar") return ArchiveKind::Tar;
    return ArchiveKind::None;
}

bool has_archive_name(const std::string& name) {
    const std::string low = to_lower(name);
    return ends_with(low, ".tar") || ends_with(low, ".tar.gz") || ends_with(low, ".tgz") || ends_with(low, ".zip");
}

// ---- tar ---------------------------------------------------------------------------------------

TarParser::TarParser(std::string archive_name, MemberFn on_member, DataFn on_data)
    : name_(std::move(archive_name)), on_member_(std::move(on_member)), on_data_(std::move(on_data)) {}

void TarParser::feed(std::string_view in) {
    while (!in.empty() && !ended_) {
        if (left_ > 0) {
            const size_t take = size_t(std::min<int64_t>(left_, int64_t(in.size())));
            const std::string_view piece = in.substr(0, take);
            if (entry_type_ == 'L' || entry_type_ == 'x') meta_.append(piece);
            else if (keep_ && on_data_) on_data_(current_, piece);
            left_ -= int64_t(take);
            pos_ += int64_t(take);
            in.remove_prefix(take);
            if (left_ == 0) end_entry();
        } else if (pad_ > 0) {
            const size_t take = size_t(std::min<int64_t>(pad_, int64_t(in.size())));
            pad_ -= int64_t(take);
            pos_ += int64_t(take);
            in.remove_prefix(take);
        } else {
            const size_t take = std::min(size_t(kBlock) - block_.size(), in.size());
            block_.append(in.substr(0, take));
            pos_ += int64_t(take);
            in.remove_prefix(take);
            if (block_.size() == size_t(kBlock)) {
                header(block_);
                block_.clear();
            }
        }
    }
}

void TarParser::header(std::string_view b) {
    if (std::all_of(b.begin(), b.end(), [](char c) { return c == '\0'; })) {
        ended_ = true;  // the end-of-archive marker; what follows is padding
        return;
    }
    const int64_t at = pos_ - kBlock;
    // The checksum covers the header with its own field read as spaces.
    int64_t sum = 0;
    for (size_t i = 0; i < size_t(kBlock); ++i) sum += (i >= 148 && i < 156) ? ' ' : uint8_t(b[i]);
    if (tar_number(b, 148, 8) != sum)
        throw input_error(name_, "is damaged: the tar header at byte " + std::to_string(at) +
                                     " has a wrong checksum (not a tar archive, or corrupt)");
    int64_t size = tar_number(b, 124, 12);
    if (size < 0)
        throw input_error(name_, "is damaged: the tar header at byte " + std::to_string(at) + " has an unreadable size");
    const char type = b[156];
    if (type == 'L' || type == 'x') {
        if (size > kMaxMetaBytes)
            throw input_error(name_, "is damaged: a tar name record at byte " + std::to_string(at) + " declares " +
                                         std::to_string(size) + " bytes");
        meta_.clear();
    }
    std::string path = field(b, 0, 100);
    // POSIX ustar keeps the start of long paths in the prefix field; GNU tar ("ustar  ") does not.
    if (b.substr(257, 6) == std::string_view("ustar\0", 6)) {
        const std::string prefix = field(b, 345, 155);
        if (!prefix.empty()) path = prefix + "/" + path;
    }
    const bool regular = type == '0' || type == '\0' || type == '7';
    if (regular) {
        if (!next_path_.empty()) path = next_path_;
        if (next_size_ >= 0) size = next_size_;
        next_path_.clear();
        next_size_ = -1;
    } else if (type != 'L' && type != 'x' && type != 'K') {
        next_path_.clear();  // a directory, link or global header: a pending long name was its own
        next_size_ = -1;
    }
    entry_type_ = type;
    keep_ = false;
    left_ = size;
    pad_ = (kBlock - size % kBlock) % kBlock;
    // Links and directories carry no data in the stream even when a size is written.
    if (type == '1' || type == '2' || type == '5') left_ = pad_ = 0;
    if (regular) {
        current_ = ArchiveMember{};
        current_.path = clean_path(path);
        current_.offset = pos_;
        current_.size = current_.stored_size = size;
        members_.push_back(current_);
        keep_ = on_member_ && on_member_(current_);
    }
    if (left_ == 0) end_entry();
}

void TarParser::end_entry() {
    if (entry_type_ == 'L') {
        next_path_ = meta_.substr(0, meta_.find('\0'));
    } else if (entry_type_ == 'x') {
        // Records "LEN key=value\n"; LEN counts the whole record.
        size_t p = 0;
        while (p < meta_.size()) {
            const size_t sp = meta_.find(' ', p);
            if (sp == std::string::npos) break;
            const int64_t len = std::atoll(meta_.c_str() + p);
            if (len <= 0 || p + size_t(len) > meta_.size() || size_t(len) <= sp - p) break;
            const std::string rec = meta_.substr(sp + 1, p + size_t(len) - sp - 2);
            const size_t eq = rec.find('=');
            if (eq != std::string::npos) {
                const std::string key = rec.substr(0, eq), value = rec.substr(eq + 1);
                if (key == "path") next_path_ = value;
                else if (key == "size") next_size_ = std::atoll(value.c_str());
            }
            p += size_t(len);
        }
    }
    meta_.clear();
    entry_type_ = 0;
    keep_ = false;
}

void TarParser::finish() {
    if (left_ > 0)
        throw input_error(name_, "is cut short: it ends inside " +
                                     (current_.path.empty() ? std::string("a member") : current_.path) + " (" +
                                     std::to_string(left_) + " bytes missing; the download or copy may be incomplete)");
    if (!block_.empty())
        throw input_error(name_, "is cut short: it ends inside a tar header (the download or copy may be incomplete)");
    if (members_.empty() && !ended_ && pos_ == 0) throw input_error(name_, "is empty");
}

std::vector<ArchiveMember> list_tar(std::string_view tar, const std::string& archive_name) {
    TarParser p(archive_name);
    p.feed(tar);
    p.finish();
    return p.members();
}

// ---- zip ---------------------------------------------------------------------------------------

namespace {

InputError zip_damaged(const std::string& name, const std::string& what) {
    return input_error(name, "is damaged: " + what + " (not a complete zip file; the download or copy may be incomplete)");
}

}  // namespace

std::vector<ArchiveMember> list_zip(int64_t size, const ReadAt& read_at, const std::string& name) {
    // The end-of-central-directory record: 22 bytes plus a comment of at most 65535, at the end.
    const int64_t tail_n = std::min<int64_t>(size, 22 + 65535);
    const std::string tail = read_at(size - tail_n, tail_n);
    if (int64_t(tail.size()) != tail_n) throw input_error(name, "could not be read to the end");
    int64_t eocd = -1;
    for (int64_t i = int64_t(tail.size()) - 22; i >= 0; --i)
        if (tail.compare(size_t(i), 4, "PK\5\6") == 0 && i + 22 + int64_t(le16(tail, size_t(i) + 20)) <= int64_t(tail.size())) {
            eocd = i;
            break;
        }
    if (eocd < 0) throw zip_damaged(name, "its end record (the table of contents) is missing");
    const size_t e = size_t(eocd);
    if (le16(tail, e + 4) != 0 || le16(tail, e + 6) != 0)
        throw input_error(name, "is one part of a split zip archive: join the parts (zip -s 0) first");
    uint64_t count = le16(tail, e + 10), cd_size = le32(tail, e + 12), cd_offset = le32(tail, e + 16);
    if (count == 0xffff || cd_size == 0xffffffff || cd_offset == 0xffffffff) {
        // Zip64: a locator right before the end record points at the zip64 end record.
        if (eocd < 20 || tail.compare(e - 20, 4, "PK\6\7") != 0) throw zip_damaged(name, "its zip64 locator is missing");
        const uint64_t rec_at = le64(tail, e - 20 + 8);
        if (rec_at > uint64_t(size) || uint64_t(size) - rec_at < 56) throw zip_damaged(name, "its zip64 end record is outside the file");
        const std::string rec = read_at(int64_t(rec_at), 56);
        if (rec.size() != 56 || rec.compare(0, 4, "PK\6\6") != 0) throw zip_damaged(name, "its zip64 end record is unreadable");
        count = le64(rec, 32);
        cd_size = le64(rec, 40);
        cd_offset = le64(rec, 48);
    }
    if (cd_offset > uint64_t(size) || cd_size > uint64_t(size) - cd_offset)
        throw zip_damaged(name, "its table of contents lies outside the file");
    if (count > cd_size / 46) throw zip_damaged(name, "it declares " + std::to_string(count) + " entries, more than its table of contents holds");
    const std::string cd = read_at(int64_t(cd_offset), int64_t(cd_size));
    if (cd.size() != cd_size) throw input_error(name, "could not be read to the end");

    std::vector<ArchiveMember> out;
    size_t p = 0;
    for (uint64_t k = 0; k < count; ++k) {
        if (p + 46 > cd.size() || cd.compare(p, 4, "PK\1\2") != 0)
            throw zip_damaged(name, "entry " + std::to_string(k + 1) + " of its table of contents is unreadable");
        const uint32_t flags = le16(cd, p + 8), method = le16(cd, p + 10);
        const size_t n = le16(cd, p + 28), x = le16(cd, p + 30), c = le16(cd, p + 32);
        if (p + 46 + n + x + c > cd.size()) throw zip_damaged(name, "entry " + std::to_string(k + 1) + " runs past its table of contents");
        ArchiveMember m;
        m.path = clean_path(cd.substr(p + 46, n));
        m.crc32 = le32(cd, p + 16);
        uint64_t stored = le32(cd, p + 20), plain = le32(cd, p + 24), local = le32(cd, p + 42);
        // Zip64 extra field: the 64-bit values of the fields written as 0xffffffff, in this order.
        for (size_t q = p + 46 + n; q + 4 <= p + 46 + n + x;) {
            const uint32_t id = le16(cd, q), len = le16(cd, q + 2);
            if (q + 4 + len > p + 46 + n + x) break;
            if (id == 0x0001) {
                size_t r = q + 4;
                auto next = [&](uint64_t& v) {
                    if (v != 0xffffffff) return;
                    if (r + 8 > q + 4 + len) throw zip_damaged(name, m.path + "'s zip64 sizes are incomplete");
                    v = le64(cd, r);
                    r += 8;
                };
                next(plain);
                next(stored);
                next(local);
            }
            q += 4 + len;
        }
        p += 46 + n + x + c;
        if (m.path.empty() || m.path.back() == '/') continue;  // a folder
        if (flags & 1) throw input_error(name, m.path + " is encrypted: unpack the archive with its password first");
        if (method != 0 && method != 8)
            throw input_error(name, m.path + " is compressed with method " + std::to_string(method) +
                                        ", which scpt cannot read (only stored and deflate): unpack it, or zip it again with plain zip");
        if (plain > uint64_t(INT64_MAX) || local >= uint64_t(size) || stored > uint64_t(size) - local)
            throw zip_damaged(name, m.path + " lies outside the file");
        if (method == 0 && stored != plain) throw zip_damaged(name, m.path + " is stored with two different sizes");
        m.method = method == 8 ? ArchiveMethod::Deflate : ArchiveMethod::Stored;
        m.offset = int64_t(local);  // the local header; zip_data_offset gives the data
        m.stored_size = int64_t(stored);
        m.size = int64_t(plain);
        out.push_back(std::move(m));
    }
    return out;
}

int64_t zip_data_offset(std::string_view h, int64_t header_offset, int64_t size, const std::string& path,
                        const std::string& name) {
    if (h.size() < 30 || h.substr(0, 4) != std::string_view("PK\3\4", 4))
        throw zip_damaged(name, "the local header of " + path + " is missing");
    const int64_t data = header_offset + 30 + int64_t(le16(h, 26)) + int64_t(le16(h, 28));
    if (data > size) throw zip_damaged(name, "the data of " + path + " lies outside the file");
    return data;
}

void check_member_size(const ArchiveMember& m, const std::string& what, const Limits& limits) {
    Limits::check(what + ": " + m.path, "bytes", m.size, limits.max_inflated_bytes);
}

uint32_t crc32_update(uint32_t crc, std::string_view bytes) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (char ch : bytes) crc = table[(crc ^ uint8_t(ch)) & 0xff] ^ (crc >> 8);
    return ~crc;
}

}  // namespace scpt::io
