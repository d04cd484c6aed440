// Model files for the catalogue: a valid model whose vocabulary is the gene list of a real
// features file (weights drawn like a trained encoder's), then byte patches with or without
// re-sealed checksums, and a hand-built zstd frame that claims an enormous size.
#include <sstream>

#include "core/model/model_file.hpp"
#include "core/util/xxh64.hpp"
#include "tests/core/model/model_test_util.hpp"
#include "tests/hostile/generator.hpp"

namespace scpt::hostile {
namespace {

void put_le(std::string& s, size_t at, uint64_t v, int n) {
    if (at + size_t(n) > s.size()) throw std::runtime_error("generator: patch past the end of the model");
    for (int i = 0; i < n; ++i) s[at + size_t(i)] = char(v >> (8 * i));
}

// Header layout (models/FORMAT.md section 1): checksums of the stored bytes at 40, of the header at 56.
void reseal(std::string& s, bool data, bool header) {
    if (data) put_le(s, 40, xxh64(std::string_view(s).substr(64)), 8);
    if (header) put_le(s, 56, xxh64(s.data(), 56), 8);
}

std::vector<std::string> gene_names(const std::string& features, int column) {
    std::istringstream in(read_bytes(features));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> f;
        std::istringstream ls(line);
        for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
        if (int(f.size()) >= column) out.push_back(f[size_t(column - 1)]);
    }
    return out;
}

}  // namespace

bool apply_model_op(const json& op, const std::string& dir) {
    const std::string name = op.at("op").get<std::string>();
    if (name.rfind("model_", 0) != 0) return false;
    const std::string path = in_dir(dir, op.at("file").get<std::string>());

    if (name == "model_write") {
        std::vector<std::string> genes;
        if (op.contains("genes_from")) genes = gene_names(in_dir(dir, op.at("genes_from").get<std::string>()), op.value("genes_column", 2));
        else for (int64_t g = 0; g < op.value("genes", 50); ++g) genes.push_back("NOTAGENE" + std::to_string(g));
        Model m = test::random_model(int64_t(genes.size()), op.value("hidden", 32), 7, op.value("classifiers", 1));
        for (size_t g = 0; g < genes.size(); ++g) m.info.genes[g] = {genes[g], "", ""};
        WriteOptions wo;
        wo.compression = op.value("compressed", true) ? Compression::Zstd : Compression::None;
        write_bytes(path, write_model(m, wo));
    } else if (name == "model_patch") {
        std::string s = read_bytes(path);
        put_le(s, op.at("offset").get<size_t>(), op.at("value").get<uint64_t>(), op.value("width", 4));
        const std::string fix = op.value("reseal", "none");
        reseal(s, fix == "data" || fix == "both", fix == "header" || fix == "both");
        write_bytes(path, s);
    } else if (name == "model_zstd_claim") {
        // One zstd frame (magic, descriptor with an 8-byte content size, window byte, size, one
        // RLE block of 16 bytes marked last) that declares `payload_size` bytes of content.
        const uint64_t claim = op.at("payload_size").get<uint64_t>();
        std::string frame("\x28\xb5\x2f\xfd", 4);
        frame += char(0xC0);  // FCS field 8 bytes, not single-segment, no checksum, no dictionary
        frame += char(0x00);  // window 1 KB
        frame += std::string(8, '\0');
        put_le(frame, 6, claim, 8);
        const uint32_t block = 1u | (1u << 1) | (16u << 3);  // last, RLE, 16 bytes
        frame += std::string{char(block & 0xff), char((block >> 8) & 0xff), char(block >> 16), 'A'};
        std::string s("\x89SCPT\r\n\x1a", 8);
        s += std::string(56, '\0');
        put_le(s, 8, 1, 4);
        put_le(s, 12, 64, 4);
        put_le(s, 16, 1, 4);  // zstd
        put_le(s, 24, claim, 8);
        put_le(s, 32, frame.size(), 8);
        s += frame;
        reseal(s, true, true);
        write_bytes(path, s);
    } else {
        throw std::runtime_error("generator: unknown model op " + name);
    }
    return true;
}

}  // namespace scpt::hostile
