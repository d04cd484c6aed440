// libFuzzer target: gzip decoding, whole and fed in random chunks (members, padding, cut streams).
// Oracle: both agree on the output or the error; the output limit holds.
// Input: byte 0 = chunking seed, the rest = the (possibly) gzip bytes.
#include "core/io/gzip.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fuzz_util.hpp"

using namespace scpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::string_view bytes = fuzz::bytes_of(data + 1, size - 1);
    const int64_t limit = 8 << 20;
    std::string whole, whole_error;
    try {
        whole = io::gunzip(bytes, "f.gz", limit);
    } catch (const InputError& e) {
        whole_error = e.what();
    }
    std::string part, part_error;
    try {
        io::GzipInflater inf("f.gz", limit);
        size_t pos = 0;
        for (size_t n : fuzz::splits(bytes.size(), data[0], 512)) {
            inf.feed(bytes.substr(pos, n), [&](std::string_view piece) { part.append(piece); });
            pos += n;
        }
        inf.finish();
    } catch (const InputError& e) {
        part_error = e.what();
    }
    if (whole_error != part_error) fuzz::fail("whole and chunked inflation disagree on the error");
    if (whole_error.empty() && whole != part) fuzz::fail("whole and chunked inflation differ");
    if (int64_t(whole.size()) > limit) fuzz::fail("output limit not applied");
    (void)io::gunzip_prefix(bytes, 4096);
    return 0;
}
