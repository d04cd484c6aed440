// Model file writer (the reader is model_file_read.cpp), as specified in models/FORMAT.md.
#include "core/model/model_file.hpp"

#include <zstd.h>

#include <algorithm>

#include "core/model/byte_io.hpp"
#include "core/model/half.hpp"
#include "core/model/model_file_format.hpp"
#include "core/util/xxh64.hpp"

namespace scpt {
namespace {

using namespace model_format;

struct PendingTensor {
    std::string name;
    DType dtype;
    std::vector<int64_t> dims;
    const void* data;
    size_t count;       // elements as stored (bytes for q4)
    size_t elem_bytes;  // 4, 2 or 1
};

void meta_u64(bytes::Writer& w, uint64_t& count, const std::string& key, uint64_t v) {
    w.str(key), w.u32(kU64), w.u64(8), w.u64(v), ++count;
}
void meta_str(bytes::Writer& w, uint64_t& count, const std::string& key, const std::string& v) {
    w.str(key), w.u32(kStr), w.u64(4 + v.size()), w.str(v), ++count;
}
void meta_strs(bytes::Writer& w, uint64_t& count, const std::string& key, const std::vector<std::string>& v) {
    uint64_t size = 8;
    for (const auto& s : v) size += 4 + s.size();
    w.str(key), w.u32(kStrArray), w.u64(size), w.u64(v.size());
    for (const auto& s : v) w.str(s);
    ++count;
}
void meta_f32s(bytes::Writer& w, uint64_t& count, const std::string& key, const std::vector<float>& v) {
    w.str(key), w.u32(kF32Array), w.u64(8 + 4 * v.size()), w.u64(v.size());
    w.array(v.data(), v.size(), 4);
    ++count;
}

std::string metadata_block(const Model& m) {
    bytes::Writer w;
    uint64_t count = 0;
    const ModelInfo& i = m.info;
    meta_str(w, count, "model.transform", transform_name(i.transform));
    meta_u64(w, count, "model.seed", i.seed);
    meta_str(w, count, "model.created", i.created);
    meta_str(w, count, "model.tool_version", i.tool_version);
    meta_str(w, count, "model.notes", i.notes);
    meta_strs(w, count, "model.datasets", i.datasets);
    meta_u64(w, count, "encoder.genes", uint64_t(m.encoder.genes));
    meta_u64(w, count, "encoder.hidden", uint64_t(m.encoder.hidden));
    std::vector<std::string> human, mouse, ensembl;
    for (const auto& g : i.genes) {
        human.push_back(g.human_symbol);
        mouse.push_back(g.mouse_symbol);
        ensembl.push_back(g.ensembl_id);
    }
    meta_strs(w, count, "genes.human_symbol", human);
    meta_strs(w, count, "genes.mouse_symbol", mouse);
    meta_strs(w, count, "genes.ensembl_id", ensembl);
    if (!m.classifiers.empty()) {
        std::vector<std::string> names;
        for (const auto& c : m.classifiers) names.push_back(c.name);
        meta_strs(w, count, "classifiers", names);
        for (const auto& c : m.classifiers) {
            const std::string p = "classifier." + c.name + ".";
            meta_str(w, count, p + "description", c.description);
            meta_strs(w, count, p + "classes", c.classes);
            meta_f32s(w, count, p + "calibration", c.calibration);
            if (c.head == ReferenceClassifier::Head::Linear) {
                meta_str(w, count, p + "head", "linear");
                // Row numbers as f32: exact below 2^24, far above the reader's gene limit.
                meta_f32s(w, count, p + "genes", std::vector<float>(c.gene_rows.begin(), c.gene_rows.end()));
            }
        }
    }
    bytes::Writer out;
    out.u64(count);
    out.out += w.out;
    return std::move(out.out);
}

// halves: keeps the f16 copies of tensors held as float in memory alive until they are written.
std::vector<PendingTensor> tensors_of(const Model& m, std::vector<std::vector<uint16_t>>& halves) {
    const EncoderWeights& e = m.encoder;
    const int64_t G = e.genes, H = e.hidden;
    std::vector<PendingTensor> t;
    switch (e.dtype) {
        case DType::F32: t.push_back({"encoder.weight", DType::F32, {G, H}, e.f32.data(), e.f32.size(), 4}); break;
        case DType::F16: t.push_back({"encoder.weight", DType::F16, {G, H}, e.f16.data(), e.f16.size(), 2}); break;
        case DType::Q8:
            t.push_back({"encoder.weight", DType::Q8, {G, H}, e.q8.data(), e.q8.size(), 1});
            t.push_back({"encoder.weight.scale", DType::F32, {G}, e.q8_scale.data(), e.q8_scale.size(), 4});
            break;
        case DType::Q4:
            t.push_back({"encoder.weight", DType::Q4, {G, H}, e.q4.data(), e.q4.size(), 1});
            t.push_back({"encoder.weight.scale", DType::F32, {G, q4_blocks(H)}, e.q4_scale.data(),
                         e.q4_scale.size(), 4});
            break;
    }
    t.push_back({"encoder.bias", DType::F32, {H}, e.bias.data(), e.bias.size(), 4});
    for (const auto& c : m.classifiers) {
        const std::string p = "classifier." + c.name + ".";
        const int64_t C = int64_t(c.classes.size());
        if (c.head == ReferenceClassifier::Head::Linear) {
            const int64_t S = int64_t(c.gene_rows.size()), F = H + c.pcs;
            if (c.pcs > 0) {
                std::vector<uint16_t> half(c.pca_loadings.size());
                for (size_t i = 0; i < half.size(); ++i) half[i] = float_to_half(c.pca_loadings[i]);
                halves.push_back(std::move(half));
                t.push_back({p + "pca.mean", DType::F32, {S}, c.pca_mean.data(), c.pca_mean.size(), 4});
                t.push_back({p + "pca.loadings", DType::F16, {S, c.pcs}, halves.back().data(), halves.back().size(), 2});
            }
            t.push_back({p + "feature.mean", DType::F32, {F}, c.feature_mean.data(), c.feature_mean.size(), 4});
            t.push_back({p + "feature.scale", DType::F32, {F}, c.feature_scale.data(), c.feature_scale.size(), 4});
            t.push_back({p + "linear.weight", DType::F32, {C, F}, c.linear_w.data(), c.linear_w.size(), 4});
            t.push_back({p + "linear.bias", DType::F32, {C}, c.linear_b.data(), c.linear_b.size(), 4});
            continue;
        }
        t.push_back({p + "fc1.weight", DType::F32, {c.h1, H}, c.fc1_w.data(), c.fc1_w.size(), 4});
        t.push_back({p + "fc1.bias", DType::F32, {c.h1}, c.fc1_b.data(), c.fc1_b.size(), 4});
        t.push_back({p + "fc2.weight", DType::F32, {C, c.h1}, c.fc2_w.data(), c.fc2_w.size(), 4});
        t.push_back({p + "fc2.bias", DType::F32, {C}, c.fc2_b.data(), c.fc2_b.size(), 4});
    }
    return t;
}

#ifdef SCPT_HAVE_ZSTD_COMPRESS
std::string zstd_compress(const std::string& payload, int level) {
    std::string out(ZSTD_compressBound(payload.size()), '\0');
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    if (!cctx) throw std::bad_alloc();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
    size_t n = ZSTD_compress2(cctx, out.data(), out.size(), payload.data(), payload.size());
    ZSTD_freeCCtx(cctx);
    if (ZSTD_isError(n)) throw Error(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}
#endif

}  // namespace

bool has_zstd_compressor() {
#ifdef SCPT_HAVE_ZSTD_COMPRESS
    return true;
#else
    return false;
#endif
}

std::string write_model(const Model& model, const WriteOptions& options) {
    model.validate("model");
    std::vector<std::vector<uint16_t>> halves;
    halves.reserve(model.classifiers.size());  // no reallocation: tensors point into it
    std::vector<PendingTensor> tensors = tensors_of(model, halves);

    // Tensor offsets: each at the next multiple of the alignment within the data section.
    std::vector<uint64_t> offsets;
    uint64_t data_size = 0;
    for (const auto& t : tensors) {
        data_size = round_up(data_size, kModelAlignment);
        offsets.push_back(data_size);
        data_size += t.count * t.elem_bytes;
    }
    bytes::Writer p;
    p.out = metadata_block(model);
    p.u64(tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& t = tensors[i];
        p.str(t.name);
        p.u32(uint32_t(t.dtype));
        p.u32(uint32_t(t.dims.size()));
        for (int64_t d : t.dims) p.u64(uint64_t(d));
        p.u64(offsets[i]);
        p.u64(t.count * t.elem_bytes);
    }
    p.pad_to(kModelAlignment);
    const size_t data_start = p.out.size();
    p.out.reserve(data_start + data_size);
    for (size_t i = 0; i < tensors.size(); ++i) {
        p.zeros(data_start + offsets[i] - p.out.size());
        p.array(tensors[i].data, tensors[i].count, tensors[i].elem_bytes);
    }

    bool compress = options.compression == Compression::Zstd ||
                    (options.compression == Compression::Auto && has_zstd_compressor());
    std::string stored;
    if (compress) {
#ifdef SCPT_HAVE_ZSTD_COMPRESS
        stored = zstd_compress(p.out, std::clamp(options.zstd_level, 1, ZSTD_maxCLevel()));
        if (stored.size() >= p.out.size() && options.compression == Compression::Auto) compress = false;
#else
        throw Error("this build of scpt cannot write compressed model files");
#endif
    }
    if (!compress) stored = p.out;

    bytes::Writer h;
    h.out.assign(kMagic, 8);
    h.u32(kModelFormatVersion);
    h.u32(kHeaderSize);
    h.u32(compress ? kFlagZstd : 0);
    h.u32(0);
    h.u64(p.out.size());
    h.u64(stored.size());
    h.u64(xxh64(stored));
    h.u64(0);
    h.u64(xxh64(h.out));
    return h.out + stored;
}

}  // namespace scpt
