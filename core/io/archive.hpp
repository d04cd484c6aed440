// The structure of .tar (plain or inside .tar.gz / .tgz) and .zip archives, as 10x matrix folders
// are shared: bytes in, the list of member files out. No decompression here: a tar.gz is gunzipped
// by the caller (zlib natively, DecompressionStream in the browser) and fed to TarParser as a
// stream; a zip member's bytes are read at `offset` and inflated by the caller when `method` is
// Deflate (raw deflate). Damaged or cut archives raise InputError naming the archive.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/limits.hpp"

namespace scpt::io {

enum class ArchiveKind { None, Tar, Zip };

// Zip: "PK\3\4" or an empty zip's "PK\5\6" at the start; tar: "ustar" at offset 257 of the first
// block. `head` must already be gunzipped for a .tar.gz (at least 512 bytes for tar).
ArchiveKind sniff_archive(std::string_view head);
// A name ending in .tar, .tar.gz, .tgz or .zip (for messages when the bytes do not say).
bool has_archive_name(const std::string& name);

enum class ArchiveMethod { Stored, Deflate };

struct ArchiveMember {
    std::string path;              // as stored, '/'-separated, without a leading "./"
    int64_t offset = 0;            // first data byte: in the (gunzipped) tar stream, or in the zip file
    int64_t size = 0;              // bytes once decompressed
    int64_t stored_size = 0;       // bytes in the archive (= size for tar and stored zip entries)
    ArchiveMethod method = ArchiveMethod::Stored;
    uint32_t crc32 = 0;            // zip only: the CRC-32 the directory records
};

// Streaming tar parser: feed the (gunzipped) tar bytes in order. Handles ustar names with their
// prefix field, GNU long names (type 'L'), pax headers (their "path" record names the next
// member; global headers are skipped), and GNU base-256 sizes. Only regular files are members.
class TarParser {
public:
    // Called at each member's header; returns true to receive its data through on_data.
    using MemberFn = std::function<bool(const ArchiveMember&)>;
    using DataFn = std::function<void(const ArchiveMember&, std::string_view piece)>;

    explicit TarParser(std::string archive_name, MemberFn on_member = {}, DataFn on_data = {});
    void feed(std::string_view bytes);
    // Throws InputError when the archive stopped inside a header or a member (cut short).
    void finish();
    const std::vector<ArchiveMember>& members() const { return members_; }

private:
    void header(std::string_view block);
    std::string name_;
    MemberFn on_member_;
    DataFn on_data_;
    std::vector<ArchiveMember> members_;
    std::string block_;            // a header block being gathered
    std::string meta_;             // a long-name or pax record being gathered
    int64_t pos_ = 0;              // bytes consumed so far
    int64_t left_ = 0;             // data bytes of the current entry still to come
    int64_t pad_ = 0;              // padding bytes to skip after them
    char entry_type_ = 0;          // type of the entry whose data is coming
    bool keep_ = false;            // the current member's data goes to on_data
    bool ended_ = false;           // an all-zero block (end of archive) was seen
    std::string next_path_;        // from a GNU long name or a pax header, for the next member
    int64_t next_size_ = -1;       // from a pax header's "size" record, for the next member
    ArchiveMember current_;        // the member whose data is coming
    void end_entry();
};

// The member list of a whole tar held in memory.
std::vector<ArchiveMember> list_tar(std::string_view tar, const std::string& archive_name);

// The member list of a zip from its central directory. `read_at(offset, n)` returns up to n bytes
// of the archive from offset (a file read, a Blob slice): only the end and the directory are read.
// Zip64 sizes and offsets are understood; encrypted entries and methods other than stored and
// deflate are refused when listed.
using ReadAt = std::function<std::string(int64_t offset, int64_t n)>;
std::vector<ArchiveMember> list_zip(int64_t archive_size, const ReadAt& read_at, const std::string& archive_name);

// The offset of a zip member's data, from the 30 bytes (or more) of its local header at `offset`
// as the central directory gives it; checks that the data lies inside the archive.
int64_t zip_data_offset(std::string_view local_header, int64_t header_offset, int64_t archive_size,
                        const std::string& member_path, const std::string& archive_name);

// Refuses a member whose declared size is above limits.max_inflated_bytes (before anything is
// allocated for it). `what` names the archive.
void check_member_size(const ArchiveMember& m, const std::string& what, const Limits& limits);

// CRC-32 (the zip and gzip one), to check inflated zip members.
uint32_t crc32_update(uint32_t crc, std::string_view bytes);

}  // namespace scpt::io
