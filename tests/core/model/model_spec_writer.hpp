// An independent writer of model files, written from models/FORMAT.md alone (not from the scpt
// writer), so tests can build valid files, then break exactly one rule of the specification.
#pragma once
#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/util/xxh64.hpp"

namespace scpt::test {

struct SpecBytes {
    std::string b;
    SpecBytes& u32(uint32_t v) { return le(v, 4); }
    SpecBytes& u64(uint64_t v) { return le(v, 8); }
    SpecBytes& f32(float f) {
        uint32_t u;
        std::memcpy(&u, &f, 4);
        return le(u, 4);
    }
    SpecBytes& str(const std::string& s) {
        u32(uint32_t(s.size()));
        b += s;
        return *this;
    }
    SpecBytes& le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i) b.push_back(char(v >> (8 * i)));
        return *this;
    }
};

struct SpecMeta {
    std::string key;
    uint32_t type;
    std::string value;  // encoded value
};

inline SpecMeta meta_u64(const std::string& k, uint64_t v) { return {k, 1, SpecBytes().u64(v).b}; }
inline SpecMeta meta_str(const std::string& k, const std::string& v) { return {k, 4, SpecBytes().str(v).b}; }
inline SpecMeta meta_strs(const std::string& k, const std::vector<std::string>& v) {
    SpecBytes s;
    s.u64(v.size());
    for (const auto& x : v) s.str(x);
    return {k, 5, s.b};
}

struct SpecTensor {
    std::string name;
    uint32_t dtype;
    std::vector<uint64_t> dims;
    std::string data;
    int64_t offset = -1;  // -1: next multiple of 64
    int64_t size = -1;    // -1: data.size()
};

inline std::string f32_bytes(const std::vector<float>& v) {
    SpecBytes s;
    for (float f : v) s.f32(f);
    return s.b;
}

struct SpecFile {
    uint32_t version = 1;
    uint32_t header_size = 64;
    uint32_t flags = 0;
    bool compress = false;
    bool frame_content_size = true;
    std::vector<SpecMeta> meta;
    std::vector<SpecTensor> tensors;

    // The smallest valid model: 2 genes, 3 hidden units, f32 weights 0..5, bias -1, -2, -3.
    static SpecFile minimal() {
        SpecFile f;
        f.meta = {meta_str("model.transform", "log1p"), meta_u64("encoder.genes", 2), meta_u64("encoder.hidden", 3),
                  meta_strs("genes.human_symbol", {"CD3E", "MS4A1"}), meta_strs("genes.mouse_symbol", {"Cd3e", ""}),
                  meta_strs("genes.ensembl_id", {"ENSG00000198851", "ENSG00000156738"})};
        f.tensors = {{"encoder.weight", 0, {2, 3}, f32_bytes({0, 1, 2, 3, 4, 5})},
                     {"encoder.bias", 0, {3}, f32_bytes({-1, -2, -3})}};
        return f;
    }
    SpecMeta* find_meta(const std::string& k) {
        for (auto& m : meta)
            if (m.key == k) return &m;
        return nullptr;
    }
    SpecTensor* find_tensor(const std::string& n) {
        for (auto& t : tensors)
            if (t.name == n) return &t;
        return nullptr;
    }

    std::string payload() const {
        SpecBytes p;
        p.u64(meta.size());
        for (const auto& m : meta) p.str(m.key).u32(m.type).u64(m.value.size()).b += m.value;
        std::vector<uint64_t> offsets;
        uint64_t next = 0;
        for (const auto& t : tensors) {
            next = (next + 63) / 64 * 64;
            offsets.push_back(t.offset >= 0 ? uint64_t(t.offset) : next);
            next = std::max(next, offsets.back() + t.data.size());
        }
        p.u64(tensors.size());
        for (size_t i = 0; i < tensors.size(); ++i) {
            const auto& t = tensors[i];
            p.str(t.name).u32(t.dtype).u32(uint32_t(t.dims.size()));
            for (uint64_t d : t.dims) p.u64(d);
            p.u64(offsets[i]).u64(t.size >= 0 ? uint64_t(t.size) : t.data.size());
        }
        const size_t data_start = (p.b.size() + 63) / 64 * 64;
        p.b.resize(data_start, '\0');
        for (size_t i = 0; i < tensors.size(); ++i) {
            const size_t at = data_start + offsets[i];
            if (offsets[i] > (uint64_t(1) << 20)) continue;  // a deliberately absurd offset: no data
            if (p.b.size() < at + tensors[i].data.size()) p.b.resize(at + tensors[i].data.size(), '\0');
            std::memcpy(&p.b[at], tensors[i].data.data(), tensors[i].data.size());
        }
        return p.b;
    }

    std::string build() const {
        const std::string pl = payload();
        std::string stored = pl;
        if (compress) {
            stored.resize(ZSTD_compressBound(pl.size()));
            ZSTD_CCtx* c = ZSTD_createCCtx();
            ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
            ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, frame_content_size ? 1 : 0);
            // Streaming without a pledged size leaves the content size out of the frame header.
            ZSTD_outBuffer out{stored.data(), stored.size(), 0};
            ZSTD_inBuffer in{pl.data(), pl.size(), 0};
            if (frame_content_size) ZSTD_CCtx_setPledgedSrcSize(c, pl.size());
            ZSTD_compressStream2(c, &out, &in, ZSTD_e_end);
            ZSTD_freeCCtx(c);
            stored.resize(out.pos);
        }
        return seal(pl.size(), stored);
    }

    std::string seal(uint64_t payload_size, const std::string& stored) const {
        SpecBytes h;
        h.b = std::string("\x89SCPT\r\n\x1a", 8);
        h.u32(version).u32(header_size).u32(flags | (compress ? 1u : 0u)).u32(0);
        h.u64(payload_size).u64(stored.size()).u64(xxh64(stored)).u64(0);
        h.b.resize(header_size - 8, '\0');
        h.u64(xxh64(h.b));
        return h.b + stored;
    }
};

}  // namespace scpt::test
