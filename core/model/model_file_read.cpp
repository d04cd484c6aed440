// Model file reader: validates every byte it relies on before using it (models/FORMAT.md).
// Only zstd's decompression API is used here, so the decoder-only wasm build compiles this file.
#include <zstd.h>

#include <algorithm>
#include <memory>
#include <new>
#include <map>
#include <set>

#include "core/model/byte_io.hpp"
#include "core/model/half.hpp"
#include "core/model/model_file.hpp"
#include "core/model/model_file_format.hpp"
#include "core/util/xxh64.hpp"

namespace scpt {
namespace {

using namespace model_format;

const char* kCorrupt = "checksum mismatch: the file is corrupt or was modified";

// What a file that is not a model looks like, for the message.
std::string not_a_model(std::string_view b) {
    auto starts = [&](std::string_view p) { return b.substr(0, p.size()) == p; };
    if (starts("\x89SCPT\n")) return "was damaged by a text-mode transfer (line endings converted): copy it again as binary";
    if (starts("\x28\xb5\x2f\xfd")) return "is zstd-compressed data, not a scpt model file (decompress it with 'zstd -d')";
    if (starts("\x1f\x8b")) return "is gzip-compressed data, not a scpt model file (decompress it with 'gunzip')";
    if (starts("\x89HDF")) return "is an HDF5 file (a dataset?), not a scpt model file";
    if (starts("PK\x03\x04")) return "is a zip archive, not a scpt model file (extract it first)";
    bool text = !b.empty();
    for (size_t i = 0; i < std::min<size_t>(b.size(), 256); ++i) {
        unsigned char c = static_cast<unsigned char>(b[i]);
        text = text && (c >= 32 || c == '\n' || c == '\r' || c == '\t');
    }
    if (text) return "is a text file, not a scpt model file";
    return "is not a scpt model file (it does not start with the scpt model signature)";
}

struct MetaEntry {
    uint32_t type;
    std::string_view value;
};

struct TensorEntry {
    TensorInfo info;
    std::string_view data;
};

const char* type_name(uint32_t t) {
    switch (t) {
        case kU64: return "u64";
        case kI64: return "i64";
        case kF64: return "f64";
        case kStr: return "string";
        case kStrArray: return "string array";
        case kF32Array: return "f32 array";
    }
    return "unknown type";
}

std::string shape_text(const std::vector<int64_t>& dims) {
    std::string s = "[";
    for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

class PayloadParser {
public:
    PayloadParser(std::string_view payload, const std::string& what, const Limits& limits)
        : payload_(payload), what_(what), limits_(limits) {}

    Model parse(ModelFileLayout* layout);

private:
    [[noreturn]] void fail(const std::string& message) const { throw input_error(what_, message); }
    void parse_metadata(bytes::Reader& r);
    void parse_tensor_table(bytes::Reader& r);

    const MetaEntry* find(const std::string& key, uint32_t type, bool required);
    uint64_t get_u64(const std::string& key, bool required, uint64_t fallback = 0);
    std::string get_str(const std::string& key, bool required);
    std::vector<std::string> get_strs(const std::string& key, bool required, uint64_t max_count);
    std::vector<float> get_f32s(const std::string& key, uint64_t max_count);
    const TensorEntry& tensor(const std::string& name, DType dtype, const std::vector<int64_t>& dims);
    template <class T>
    std::vector<T> tensor_data(const std::string& name, DType dtype, const std::vector<int64_t>& dims) {
        std::vector<T> v;
        bytes::copy_le(v, tensor(name, dtype, dims).data);
        return v;
    }

    std::string_view payload_;
    const std::string& what_;
    const Limits& limits_;
    std::map<std::string, MetaEntry, std::less<>> meta_;
    std::map<std::string, TensorEntry, std::less<>> tensors_;
    std::set<std::string, std::less<>> used_keys_, used_tensors_;
    uint64_t data_start_ = 0;
};

void PayloadParser::parse_metadata(bytes::Reader& r) {
    const uint64_t n = r.u64("the metadata entry count");
    if (n > kMaxEntries) r.fail("the metadata declares " + std::to_string(n) + " entries");
    for (uint64_t i = 0; i < n; ++i) {
        std::string key(r.str("a metadata key", kMaxName));
        if (key.empty()) r.fail("a metadata key is empty");
        const uint32_t type = r.u32("a metadata value type");
        const uint64_t size = r.u64("a metadata value size");
        if (size > r.remaining()) r.fail("metadata value '" + key + "' runs past the end of the metadata");
        std::string_view value = r.view(size_t(size), "a metadata value");
        if (!meta_.emplace(key, MetaEntry{type, value}).second) r.fail("metadata key '" + key + "' appears twice");
    }
}

// Bytes a tensor of this dtype and shape occupies; false when the shape is invalid or overflows.
bool tensor_bytes(DType dtype, const std::vector<int64_t>& dims, uint64_t& out) {
    int64_t n = 1;
    for (int64_t d : dims)
        if (d < 1 || __builtin_mul_overflow(n, d, &n)) return false;
    int64_t bytes = 0;
    switch (dtype) {
        case DType::F32: if (__builtin_mul_overflow(n, int64_t(4), &bytes)) return false; break;
        case DType::F16: if (__builtin_mul_overflow(n, int64_t(2), &bytes)) return false; break;
        case DType::Q8: bytes = n; break;
        case DType::Q4: {
            const int64_t last = dims.back();
            if (__builtin_mul_overflow(n / last, q4_row_bytes(last), &bytes)) return false;
            break;
        }
    }
    out = uint64_t(bytes);
    return true;
}

void PayloadParser::parse_tensor_table(bytes::Reader& r) {
    const uint64_t n = r.u64("the tensor count");
    if (n > kMaxEntries) r.fail("the tensor table declares " + std::to_string(n) + " tensors");
    std::vector<TensorInfo> table;
    for (uint64_t i = 0; i < n; ++i) {
        TensorInfo t;
        t.name = std::string(r.str("a tensor name", kMaxName));
        if (t.name.empty()) r.fail("a tensor name is empty");
        const uint32_t dtype = r.u32("a tensor data type");
        if (dtype > uint32_t(DType::Q4))
            fail("tensor '" + t.name + "' has data type " + std::to_string(dtype) +
                 ", which this scpt does not know (it reads model format version " +
                 std::to_string(kModelFormatVersion) + "): the file is corrupt or was written by a newer tool");
        t.dtype = DType(dtype);
        const uint32_t nd = r.u32("a tensor dimension count");
        if (nd < 1 || nd > 4) r.fail("tensor '" + t.name + "' has " + std::to_string(nd) + " dimensions");
        for (uint32_t d = 0; d < nd; ++d) {
            uint64_t v = r.u64("a tensor dimension");
            if (v < 1 || v > uint64_t(INT64_MAX)) r.fail("tensor '" + t.name + "' has a dimension of " + std::to_string(v));
            t.dims.push_back(int64_t(v));
        }
        t.offset = r.u64("a tensor offset");
        t.size = r.u64("a tensor size");
        uint64_t expected = 0;
        if (!tensor_bytes(t.dtype, t.dims, expected))
            r.fail("tensor '" + t.name + "' has shape " + shape_text(t.dims) + ", too large to exist");
        if (t.size != expected)
            r.fail("tensor '" + t.name + "' is " + std::to_string(t.size) + " bytes, but a " + dtype_name(t.dtype) +
                   " tensor of shape " + shape_text(t.dims) + " takes " + std::to_string(expected));
        table.push_back(std::move(t));
    }
    const uint64_t data_start = round_up(r.pos(), kModelAlignment);
    data_start_ = data_start;
    if (data_start > payload_.size()) r.fail("the tensor data start past the end of the model data");
    const uint64_t data_size = payload_.size() - data_start;
    for (auto& t : table) {
        if (t.offset % kModelAlignment != 0)
            r.fail("tensor '" + t.name + "' starts at offset " + std::to_string(t.offset) + ", not a multiple of " +
                   std::to_string(kModelAlignment));
        if (t.offset > data_size || t.size > data_size - t.offset)
            r.fail("tensor '" + t.name + "' lies past the end of the model data");
        std::string_view data = payload_.substr(size_t(data_start + t.offset), size_t(t.size));
        if (!tensors_.emplace(t.name, TensorEntry{t, data}).second) r.fail("tensor '" + t.name + "' appears twice");
    }
    std::sort(table.begin(), table.end(), [](const TensorInfo& a, const TensorInfo& b) { return a.offset < b.offset; });
    for (size_t i = 1; i < table.size(); ++i)
        if (table[i - 1].offset + table[i - 1].size > table[i].offset)
            r.fail("tensors '" + table[i - 1].name + "' and '" + table[i].name + "' overlap");
}

const MetaEntry* PayloadParser::find(const std::string& key, uint32_t type, bool required) {
    auto it = meta_.find(key);
    if (it == meta_.end()) {
        if (required) fail("the model has no '" + key + "' entry (the file is incomplete or not from scpt)");
        return nullptr;
    }
    if (it->second.type != type)
        fail("metadata '" + key + "' is a " + type_name(it->second.type) + ", expected a " + type_name(type) +
             " (the file is corrupt)");
    used_keys_.insert(key);
    return &it->second;
}

uint64_t PayloadParser::get_u64(const std::string& key, bool required, uint64_t fallback) {
    const MetaEntry* e = find(key, kU64, required);
    if (!e) return fallback;
    bytes::Reader r(e->value, what_ + ": metadata '" + key + "'");
    uint64_t v = r.u64("the value");
    if (!r.done()) r.fail("the value has extra bytes");
    return v;
}

std::string PayloadParser::get_str(const std::string& key, bool required) {
    const MetaEntry* e = find(key, kStr, required);
    if (!e) return {};
    bytes::Reader r(e->value, what_ + ": metadata '" + key + "'");
    std::string s(r.str("the text", e->value.size()));
    if (!r.done()) r.fail("the value has extra bytes");
    return s;
}

std::vector<std::string> PayloadParser::get_strs(const std::string& key, bool required, uint64_t max_count) {
    const MetaEntry* e = find(key, kStrArray, required);
    if (!e) return {};
    bytes::Reader r(e->value, what_ + ": metadata '" + key + "'");
    const uint64_t n = r.u64("the entry count");
    if (n > max_count || n > r.remaining() / 4) r.fail("declares " + std::to_string(n) + " entries");
    std::vector<std::string> v;
    v.reserve(size_t(n));
    for (uint64_t i = 0; i < n; ++i) v.emplace_back(r.str("an entry", r.remaining()));
    if (!r.done()) r.fail("the value has extra bytes");
    return v;
}

std::vector<float> PayloadParser::get_f32s(const std::string& key, uint64_t max_count) {
    const MetaEntry* e = find(key, kF32Array, false);
    if (!e) return {};
    bytes::Reader r(e->value, what_ + ": metadata '" + key + "'");
    const uint64_t n = r.u64("the entry count");
    if (n > max_count || n != r.remaining() / 4 || r.remaining() % 4)
        r.fail("declares " + std::to_string(n) + " numbers in " + std::to_string(r.remaining()) + " bytes");
    std::vector<float> v;
    bytes::copy_le(v, r.view(size_t(n) * 4, "the numbers"));
    return v;
}

const TensorEntry& PayloadParser::tensor(const std::string& name, DType dtype, const std::vector<int64_t>& dims) {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) fail("the model has no tensor '" + name + "' (the file is incomplete or not from scpt)");
    const TensorInfo& t = it->second.info;
    if (t.dtype != dtype || t.dims != dims)
        fail("tensor '" + name + "' is " + dtype_name(t.dtype) + " " + shape_text(t.dims) + ", expected " +
             dtype_name(dtype) + " " + shape_text(dims) + " (the file is corrupt)");
    used_tensors_.insert(name);
    return it->second;
}

Model PayloadParser::parse(ModelFileLayout* layout) {
    bytes::Reader r(payload_, what_ + ": model data");
    parse_metadata(r);
    parse_tensor_table(r);

    Model m;
    const std::string transform = get_str("model.transform", true);
    if (!parse_transform(transform, m.info.transform))
        fail("the model expects values transformed by '" + transform + "', which this scpt does not know: update scpt");
    m.info.seed = get_u64("model.seed", false);
    m.info.created = get_str("model.created", false);
    m.info.tool_version = get_str("model.tool_version", false);
    m.info.notes = get_str("model.notes", false);
    m.info.datasets = get_strs("model.datasets", false, kMaxListEntries);

    const uint64_t genes = get_u64("encoder.genes", true), hidden = get_u64("encoder.hidden", true);
    if (genes < 1) fail("the encoder has no genes (the file is corrupt)");
    Limits::check(what_, "genes", int64_t(std::min<uint64_t>(genes, INT64_MAX)), limits_.max_genes);
    if (hidden < 1 || hidden > uint64_t(kMaxHidden))
        fail("the encoder declares " + std::to_string(hidden) + " hidden units (the file is corrupt)");
    const int64_t G = int64_t(genes), H = int64_t(hidden);
    const auto human = get_strs("genes.human_symbol", true, genes);
    const auto mouse = get_strs("genes.mouse_symbol", true, genes);
    const auto ensembl = get_strs("genes.ensembl_id", true, genes);
    if (int64_t(human.size()) != G || int64_t(mouse.size()) != G || int64_t(ensembl.size()) != G)
        fail("the gene vocabulary does not list one name per encoder row (the file is corrupt)");
    m.info.genes.resize(size_t(G));
    for (size_t g = 0; g < size_t(G); ++g) m.info.genes[g] = {human[g], mouse[g], ensembl[g]};

    EncoderWeights& e = m.encoder;
    e.genes = G;
    e.hidden = H;
    auto w = tensors_.find("encoder.weight");
    if (w == tensors_.end()) fail("the model has no tensor 'encoder.weight' (the file is incomplete or not from scpt)");
    e.dtype = w->second.info.dtype;
    switch (e.dtype) {
        case DType::F32: e.f32 = tensor_data<float>("encoder.weight", DType::F32, {G, H}); break;
        case DType::F16: e.f16 = tensor_data<uint16_t>("encoder.weight", DType::F16, {G, H}); break;
        case DType::Q8:
            e.q8 = tensor_data<int8_t>("encoder.weight", DType::Q8, {G, H});
            e.q8_scale = tensor_data<float>("encoder.weight.scale", DType::F32, {G});
            break;
        case DType::Q4:
            e.q4 = tensor_data<uint8_t>("encoder.weight", DType::Q4, {G, H});
            e.q4_scale = tensor_data<float>("encoder.weight.scale", DType::F32, {G, q4_blocks(H)});
            break;
    }
    e.bias = tensor_data<float>("encoder.bias", DType::F32, {H});

    for (const std::string& name : get_strs("classifiers", false, kMaxClassifiers)) {
        ReferenceClassifier c;
        c.name = name;
        const std::string p = "classifier." + name + ".";
        c.description = get_str(p + "description", false);
        c.classes = get_strs(p + "classes", true, uint64_t(limits_.max_label_classes));
        c.calibration = get_f32s(p + "calibration", kMaxListEntries);
        const std::string head = get_str(p + "head", false);
        if (head == "linear") {
            c.head = ReferenceClassifier::Head::Linear;
            for (float r : get_f32s(p + "genes", uint64_t(G))) {
                if (!(r >= 0 && r < float(G) && r == float(int64_t(r))))
                    fail("classifier '" + name + "' names a gene row that does not exist (the file is corrupt)");
                c.gene_rows.push_back(int32_t(r));
            }
            const int64_t S = int64_t(c.gene_rows.size()), C = int64_t(c.classes.size());
            if (S == 0) fail("classifier '" + name + "' has no genes (the file is corrupt)");
            auto pl = tensors_.find(p + "pca.loadings");
            if (pl != tensors_.end()) {
                if (pl->second.info.dims.size() != 2)
                    fail("classifier '" + name + "' has an invalid tensor '" + p + "pca.loadings'");
                c.pcs = pl->second.info.dims[1];
                if (c.pcs > kMaxHidden) fail("classifier '" + name + "' declares " + std::to_string(c.pcs) + " components");
                for (uint16_t h : tensor_data<uint16_t>(p + "pca.loadings", DType::F16, {S, c.pcs}))
                    c.pca_loadings.push_back(half_to_float(h));
                c.pca_mean = tensor_data<float>(p + "pca.mean", DType::F32, {S});
            }
            const int64_t F = H + c.pcs;
            c.feature_mean = tensor_data<float>(p + "feature.mean", DType::F32, {F});
            c.feature_scale = tensor_data<float>(p + "feature.scale", DType::F32, {F});
            c.linear_w = tensor_data<float>(p + "linear.weight", DType::F32, {C, F});
            c.linear_b = tensor_data<float>(p + "linear.bias", DType::F32, {C});
            m.classifiers.push_back(std::move(c));
            continue;
        }
        if (!head.empty() && head != "mlp")
            fail("classifier '" + name + "' has a head '" + head + "' that this scpt does not know: update scpt");
        auto fc1 = tensors_.find(p + "fc1.weight");
        if (fc1 == tensors_.end() || fc1->second.info.dims.size() != 2)
            fail("classifier '" + name + "' has no valid tensor '" + p + "fc1.weight'");
        c.h1 = fc1->second.info.dims[0];
        if (c.h1 > kMaxHidden) fail("classifier '" + name + "' declares " + std::to_string(c.h1) + " hidden units");
        const int64_t C = int64_t(c.classes.size());
        c.fc1_w = tensor_data<float>(p + "fc1.weight", DType::F32, {c.h1, H});
        c.fc1_b = tensor_data<float>(p + "fc1.bias", DType::F32, {c.h1});
        c.fc2_w = tensor_data<float>(p + "fc2.weight", DType::F32, {C, c.h1});
        c.fc2_b = tensor_data<float>(p + "fc2.bias", DType::F32, {C});
        m.classifiers.push_back(std::move(c));
    }
    m.validate(what_);

    if (layout) {
        layout->data_start = data_start_;
        for (const auto& [key, entry] : meta_)
            if (!used_keys_.count(key)) layout->ignored_keys.push_back(key);
        for (const auto& [name, t] : tensors_) {
            layout->tensors.push_back(t.info);
            if (!used_tensors_.count(name)) layout->ignored_tensors.push_back(name);
        }
        std::sort(layout->tensors.begin(), layout->tensors.end(),
                  [](const TensorInfo& a, const TensorInfo& b) { return a.offset < b.offset; });
    }
    return m;
}

}  // namespace

Model read_model(std::string_view bytes, const Limits& limits, const std::string& name, ModelFileLayout* layout) {
    auto fail = [&](const std::string& message) -> void { throw input_error(name, message); };
    if (bytes.empty()) fail("is empty, not a scpt model file");
    if (bytes.size() < 16 || bytes.substr(0, 8) != std::string_view(kMagic, 8)) fail(not_a_model(bytes));

    // Header checksum first: then a version number can be trusted to mean "newer", not "corrupt".
    const uint64_t header_size = bytes::load_le(bytes.data() + 12, 4);
    if (header_size < kHeaderSize || header_size > 4096 || header_size % 8 != 0) fail(std::string("header ") + kCorrupt);
    if (bytes.size() < header_size)
        fail("is truncated: " + std::to_string(bytes.size()) + " bytes, shorter than its header (copy it again)");
    if (xxh64(bytes.data(), size_t(header_size) - 8) != bytes::load_le(bytes.data() + header_size - 8, 8))
        fail(std::string("header ") + kCorrupt);
    const uint32_t version = uint32_t(bytes::load_le(bytes.data() + 8, 4));
    if (version == 0) fail("declares model format version 0, which does not exist (the file is corrupt)");
    if (version > kModelFormatVersion)
        fail("model format version " + std::to_string(version) + " is newer than this scpt (reads " +
             std::to_string(kModelFormatVersion) + "): update scpt");
    const uint32_t flags = uint32_t(bytes::load_le(bytes.data() + 16, 4));
    if (header_size != kHeaderSize || (flags & ~kFlagZstd) != 0)
        fail("uses format features this scpt does not know (header size " + std::to_string(header_size) +
             ", flags " + std::to_string(flags) + "): update scpt");
    const uint64_t payload_size = bytes::load_le(bytes.data() + 24, 8);
    const uint64_t stored_size = bytes::load_le(bytes.data() + 32, 8);
    const uint64_t have = bytes.size() - kHeaderSize;
    if (stored_size > have)
        fail("is truncated: " + std::to_string(bytes.size()) + " bytes, expected " +
             std::to_string(kHeaderSize + stored_size) + " (copy it again)");
    if (stored_size < have)
        fail("has " + std::to_string(have - stored_size) +
             " unexpected bytes after the end of the model (the file is corrupt or two files were joined)");
    Limits::check(name, "bytes of model data", int64_t(std::min<uint64_t>(payload_size, INT64_MAX)),
                  limits.max_model_bytes);
    const bool compressed = (flags & kFlagZstd) != 0;
    if (!compressed && stored_size != payload_size)
        fail("declares " + std::to_string(payload_size) + " bytes of model data but stores " +
             std::to_string(stored_size) + " (the file is corrupt)");
    std::string_view stored = bytes.substr(kHeaderSize);
    if (xxh64(stored) != bytes::load_le(bytes.data() + 40, 8)) fail(kCorrupt);

    std::string decompressed;
    std::string_view payload = stored;
    if (compressed) {
        const unsigned long long content = ZSTD_getFrameContentSize(stored.data(), stored.size());
        if (content == ZSTD_CONTENTSIZE_ERROR) fail("the compressed model data is not a zstd frame (the file is corrupt)");
        if (content == ZSTD_CONTENTSIZE_UNKNOWN)
            fail("the compressed model data does not declare its size (the file was not written by scpt)");
        if (content != payload_size)
            fail("the compressed model data declares " + std::to_string(content) + " bytes, the header " +
                 std::to_string(payload_size) + " (the file is corrupt)");
        const size_t frame = ZSTD_findFrameCompressedSize(stored.data(), stored.size());
        if (ZSTD_isError(frame) || frame != stored.size())
            fail("the compressed model data is not exactly one zstd frame (the file is corrupt)");
        // Streamed, growing with what the frame really produces: a 100-byte frame may declare
        // 900 MB, and memory must follow the data, not the claim. Real weights barely compress,
        // so the first reservation is exact for files scpt wrote.
        decompressed.reserve(size_t(std::min<uint64_t>(payload_size, stored_size * 4 + (1u << 20))));
        std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> ds(ZSTD_createDStream(), ZSTD_freeDStream);
        if (!ds || ZSTD_isError(ZSTD_initDStream(ds.get()))) throw std::bad_alloc();
        ZSTD_inBuffer in{stored.data(), stored.size(), 0};
        std::vector<char> piece(ZSTD_DStreamOutSize());
        size_t rc = 1;
        while (rc != 0) {
            ZSTD_outBuffer out{piece.data(), piece.size(), 0};
            rc = ZSTD_decompressStream(ds.get(), &out, &in);
            if (ZSTD_isError(rc))
                fail(std::string("the compressed model data cannot be decoded (zstd: ") + ZSTD_getErrorName(rc) +
                     "): the file is corrupt");
            if (out.pos > payload_size - decompressed.size())
                fail("the compressed model data holds more than the " + std::to_string(payload_size) +
                     " bytes it declares (the file is corrupt)");
            decompressed.append(piece.data(), out.pos);
            if (rc != 0 && in.pos == in.size && out.pos < out.size)
                fail("the compressed model data ends before its declared size of " + std::to_string(payload_size) +
                     " bytes (the file is corrupt)");
        }
        if (decompressed.size() != payload_size)
            fail("the compressed model data cannot be decoded (zstd: short output): the file is corrupt");
        payload = decompressed;
    }

    PayloadParser parser(payload, name, limits);
    Model m = parser.parse(layout);
    m.info.format_version = version;
    if (layout) {
        layout->format_version = version;
        layout->compressed = compressed;
        layout->file_bytes = bytes.size();
        layout->payload_bytes = payload_size;
    }
    return m;
}

}  // namespace scpt
