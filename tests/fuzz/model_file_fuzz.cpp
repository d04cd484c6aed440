// libFuzzer target for the model file reader (build: CXX=clang++ cmake -DSCPT_FUZZ=ON).
// The first input byte picks what the rest is, so mutations reach past the checksums:
//   0: a whole file, as is (magic, header, checksums, truncation);
//   1: a payload, sealed by the harness into an uncompressed file with valid checksums
//      (metadata block, tensor table, shapes, offsets: everything behind the checksum);
//   2: stored bytes sealed as a "zstd-compressed" file with valid checksums (frame handling).
// Whatever the reader accepts must write back and read back to the same bytes.
// Seeds: SCPT_FUZZ_SEEDS=dir ./model_file_fuzz -runs=0 writes valid inputs of each kind to dir.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/model/encode.hpp"
#include "core/model/model_file.hpp"
#include "core/model/quantize.hpp"
#include "core/util/xxh64.hpp"
#include "tests/core/model/model_test_util.hpp"

namespace {

std::string seal(const std::string& stored, uint64_t payload_size, bool compressed) {
    std::string h("\x89SCPT\r\n\x1a", 8);
    auto put = [&](uint64_t v, int n) {
        for (int i = 0; i < n; ++i) h.push_back(char(v >> (8 * i)));
    };
    put(1, 4), put(64, 4), put(compressed ? 1 : 0, 4), put(0, 4);
    put(payload_size, 8), put(stored.size(), 8), put(scpt::xxh64(stored), 8), put(0, 8);
    put(scpt::xxh64(h), 8);
    return h + stored;
}

uint64_t le64(const std::string& s, size_t at) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | uint8_t(s[at + size_t(i)]);
    return v;
}

void write_seeds(const char* dir) {
    int n = 0;
    for (scpt::DType t : {scpt::DType::F32, scpt::DType::F16, scpt::DType::Q8, scpt::DType::Q4}) {
        scpt::Model m = scpt::test::random_model(5, 40, 1, 1);
        m.encoder = scpt::quantize(m.encoder, t);
        for (bool z : {false, true}) {
            scpt::WriteOptions wo;
            wo.compression = z ? scpt::Compression::Zstd : scpt::Compression::None;
            const std::string file = scpt::write_model(m, wo);
            const std::string inputs[2] = {std::string(1, '\0') + file,
                                           std::string(1, z ? '\2' : '\1') + file.substr(64)};
            for (const auto& in : inputs) {
                const std::string path = std::string(dir) + "/seed" + std::to_string(n++);
                if (FILE* f = std::fopen(path.c_str(), "wb")) {
                    std::fwrite(in.data(), 1, in.size(), f);
                    std::fclose(f);
                }
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* dir = std::getenv("SCPT_FUZZ_SEEDS")) write_seeds(dir);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string file;
    switch (data[0] % 3) {
        case 0: file = rest; break;
        case 1: file = seal(rest, rest.size(), false); break;
        case 2: file = seal(rest, rest.size() >= 8 ? le64(rest, 0) % (1u << 24) : 0, true); break;
    }
    scpt::Limits limits;
    limits.max_model_bytes = 64 << 20;  // keep the fuzzer's memory small
    limits.max_genes = 100000;
    scpt::Model m;
    try {
        m = scpt::read_model(file, limits, "fuzz");
    } catch (const scpt::InputError&) {
        return 0;
    }
    scpt::WriteOptions raw;
    raw.compression = scpt::Compression::None;
    const std::string again = scpt::write_model(m, raw);
    if (scpt::write_model(scpt::read_model(again, limits), raw) != again) std::abort();
    // The accepted weights go through the kernel: one cell with every vocabulary gene at 1.
    if (m.encoder.genes <= 4096 && m.encoder.hidden <= 1024) {
        scpt::CellMatrix x;
        scpt::CsrBuilder b(1, m.encoder.genes);
        for (int64_t g = 0; g < m.encoder.genes; ++g) b.add(0, g, 1.f);
        b.finish(x);
        std::vector<int32_t> map(size_t(m.encoder.genes));
        for (int64_t g = 0; g < m.encoder.genes; ++g) map[size_t(g)] = int32_t(g);
        scpt::encode(x, map, m.encoder);
    }
    return 0;
}
