// libFuzzer target: tar and zip structure (the 10x archives users download), from untrusted bytes.
// Oracles: a whole tar and the same tar fed in random chunks list the same members or raise the
// same error; every tar member lies inside the archive; a zip member's data offset, when
// accepted, is inside the archive.
// Input: byte 0 = chunking seed (its low bit picks zip), the rest = the archive bytes.
#include "core/io/archive.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fuzz_util.hpp"

using namespace scpt;

namespace {

void check_tar(std::string_view bytes, uint8_t seed) {
    std::vector<io::ArchiveMember> whole;
    std::string whole_error, part_error;
    try {
        whole = io::list_tar(bytes, "f.tar");
    } catch (const InputError& e) {
        whole_error = e.what();
    }
    int64_t data_bytes = 0;
    io::TarParser parser("f.tar", [](const io::ArchiveMember&) { return true; },
                         [&](const io::ArchiveMember&, std::string_view piece) { data_bytes += int64_t(piece.size()); });
    try {
        size_t pos = 0;
        for (size_t n : fuzz::splits(bytes.size(), seed, 700)) {
            parser.feed(bytes.substr(pos, n));
            pos += n;
        }
        parser.finish();
    } catch (const InputError& e) {
        part_error = e.what();
    }
    if (whole_error != part_error) fuzz::fail("whole and chunked tar disagree on the error", whole_error + " | " + part_error);
    if (!whole_error.empty()) return;
    if (whole.size() != parser.members().size()) fuzz::fail("whole and chunked tar list other members");
    int64_t sizes = 0;
    for (size_t i = 0; i < whole.size(); ++i) {
        const auto& a = whole[i];
        const auto& b = parser.members()[i];
        if (a.path != b.path || a.offset != b.offset || a.size != b.size) fuzz::fail("tar member differs", a.path);
        if (a.size < 0 || a.offset < 0 || a.offset + a.size > int64_t(bytes.size())) fuzz::fail("tar member outside the archive", a.path);
        sizes += a.size;
    }
    if (data_bytes != sizes) fuzz::fail("tar data delivered differs from the members' sizes");
}

void check_zip(std::string_view bytes) {
    const int64_t size = int64_t(bytes.size());
    const io::ReadAt read_at = [&](int64_t offset, int64_t n) {
        if (offset < 0 || n < 0 || offset > size) fuzz::fail("zip read outside the archive");
        return std::string(bytes.substr(size_t(offset), size_t(std::min<int64_t>(n, size - offset))));
    };
    std::vector<io::ArchiveMember> members;
    try {
        members = io::list_zip(size, read_at, "f.zip");
    } catch (const InputError&) {
        return;
    }
    for (const auto& m : members) {
        if (m.offset < 0 || m.offset > size) fuzz::fail("zip local header outside the archive", m.path);
        try {
            const int64_t data = io::zip_data_offset(read_at(m.offset, 30 + 65535 * 2), m.offset, size, m.path, "f.zip");
            if (data < m.offset || data > size) fuzz::fail("zip member data offset outside the archive", m.path);
        } catch (const InputError&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::string_view bytes = fuzz::bytes_of(data + 1, size - 1);
    if (data[0] & 1) check_zip(bytes);
    else check_tar(bytes, data[0]);
    return 0;
}
