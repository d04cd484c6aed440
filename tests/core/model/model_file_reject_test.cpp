// Every way a model file can be wrong is refused with a message that names the problem: corrupt
// bytes, truncation, newer versions, claims of absurd sizes, and each rule of models/FORMAT.md.
#include <gtest/gtest.h>

#include "core/model/model_file.hpp"
#include "core/model/quantize.hpp"
#include "core/util/xxh64.hpp"
#include "tests/core/model/model_spec_writer.hpp"
#include "tests/core/model/model_test_util.hpp"

namespace scpt {
namespace {

using test::SpecFile;

// The message of the InputError read_model throws ("" when it does not throw).
std::string error_of(std::string_view bytes, const Limits& limits = {}) {
    try {
        read_model(bytes, limits, "m.scpt");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

#define EXPECT_REJECTED(bytes, fragment)                                                  \
    do {                                                                                  \
        const std::string msg_ = error_of(bytes);                                         \
        EXPECT_NE(msg_.find(fragment), std::string::npos) << "message: '" << msg_ << "'"; \
        EXPECT_EQ(msg_.rfind("m.scpt: ", 0), 0u) << msg_;                                 \
    } while (0)

std::string sample_file(Compression c) {
    Model m = test::random_model(40, 37, 11, 1);
    WriteOptions wo;
    wo.compression = c;
    return write_model(m, wo);
}

TEST(ModelFileReject, SpecWriterFileIsRead) {
    // The independent writer's file is accepted and means what FORMAT.md says.
    for (bool compress : {false, true}) {
        SpecFile f = SpecFile::minimal();
        f.compress = compress;
        Model m = read_model(f.build());
        EXPECT_EQ(m.encoder.genes, 2);
        EXPECT_EQ(m.encoder.hidden, 3);
        EXPECT_EQ(m.encoder.f32, (std::vector<float>{0, 1, 2, 3, 4, 5}));
        EXPECT_EQ(m.encoder.bias, (std::vector<float>{-1, -2, -3}));
        EXPECT_EQ(m.info.genes[1].human_symbol, "MS4A1");
        EXPECT_EQ(m.info.genes[0].mouse_symbol, "Cd3e");
        EXPECT_EQ(m.info.genes[1].ensembl_id, "ENSG00000156738");
        EXPECT_TRUE(m.classifiers.empty());
    }
}

TEST(ModelFileReject, TruncatedAnywhere) {
    for (Compression c : {Compression::None, Compression::Zstd}) {
        const std::string b = sample_file(c);
        for (size_t n = 0; n < b.size(); n += (n < 80 ? 1 : 97)) {
            const std::string msg = error_of(b.substr(0, n));
            ASSERT_FALSE(msg.empty()) << "accepted a file cut at " << n << " of " << b.size();
            if (n >= 64) EXPECT_NE(msg.find("is truncated"), std::string::npos) << msg;
        }
        EXPECT_REJECTED(b.substr(0, b.size() - 1), "is truncated");
        EXPECT_REJECTED(b + "x", "unexpected bytes after the end");
    }
}

TEST(ModelFileReject, EveryFlippedByteIsCaught) {
    for (Compression c : {Compression::None, Compression::Zstd}) {
        const std::string b = sample_file(c);
        // Every byte of the header, metadata and tensor table (the first ~2 KB), then a sample.
        for (size_t i = 0; i < b.size(); i += (i < 2048 ? 1 : 13)) {
            std::string x = b;
            x[i] = char(x[i] ^ (1 << (i % 8)));
            const std::string msg = error_of(x);
            ASSERT_FALSE(msg.empty()) << "flipping byte " << i << " went unnoticed";
            if (i >= 8) EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << i << ": " << msg;
        }
    }
}

TEST(ModelFileReject, NotAModel) {
    EXPECT_REJECTED("", "is empty");
    EXPECT_REJECTED("hello, world: this is a text file\n", "is a text file");
    EXPECT_REJECTED(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + std::string(100, '\1'), "gzip");
    EXPECT_REJECTED(std::string("\x28\xb5\x2f\xfd", 4) + std::string(100, '\1'), "zstd -d");
    EXPECT_REJECTED(std::string("\x89HDF\r\n\x1a\n", 8) + std::string(100, '\0'), "HDF5");
    EXPECT_REJECTED(std::string(100, '\0'), "does not start with the scpt model signature");
    // A text-mode transfer turns CR LF into LF.
    std::string b = sample_file(Compression::None);
    EXPECT_REJECTED(b.substr(0, 5) + b.substr(6), "text-mode transfer");
}

TEST(ModelFileReject, NewerOrInvalidVersion) {
    SpecFile f = SpecFile::minimal();
    f.version = 3;
    EXPECT_REJECTED(f.build(), "model format version 3 is newer than this scpt (reads 1): update scpt");
    // A newer version may have a larger header: its checksum is still found and checked first.
    f.header_size = 128;
    EXPECT_REJECTED(f.build(), "version 3 is newer");
    f = SpecFile::minimal();
    f.version = 0;
    EXPECT_REJECTED(f.build(), "version 0");
    f = SpecFile::minimal();
    f.flags = 4;
    EXPECT_REJECTED(f.build(), "update scpt");
    f = SpecFile::minimal();
    f.header_size = 60;
    EXPECT_REJECTED(f.build(), "header checksum mismatch");
}

TEST(ModelFileReject, EnormousClaimedSizes) {
    // The payload size is checked against the limit before anything is allocated.
    const std::string b = sample_file(Compression::Zstd);
    Limits small;
    small.max_model_bytes = 1000;
    EXPECT_NE(error_of(b, small).find("above the limit of 1000"), std::string::npos) << error_of(b, small);
    // A header claiming 2^62 bytes, resealed so that only the claim is wrong.
    SpecFile f = SpecFile::minimal();
    const std::string pl = f.payload();
    EXPECT_REJECTED(f.seal(uint64_t(1) << 62, pl), "above the limit");
    // Compressed: the zstd frame's declared content size must agree with the header.
    f.compress = true;
    std::string good = f.build();
    std::string stored = good.substr(64);
    EXPECT_REJECTED(f.seal(pl.size() + 64, stored), "the compressed model data declares");
    f.frame_content_size = false;
    EXPECT_REJECTED(f.build(), "does not declare its size");
    EXPECT_REJECTED(f.seal(pl.size(), stored + stored), "not exactly one zstd frame");
    EXPECT_REJECTED(f.seal(pl.size(), std::string(40, '\x7f')), "not a zstd frame");
    // Uncompressed: the stored size must be the payload size.
    SpecFile g = SpecFile::minimal();
    EXPECT_REJECTED(g.seal(pl.size() - 1, pl), "but stores");
}

TEST(ModelFileReject, TensorTableRules) {
    auto with = [](auto edit) {
        SpecFile f = SpecFile::minimal();
        edit(f);
        return f.build();
    };
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.weight")->dims = {uint64_t(1) << 62, 1u << 4}; }),
                    "too large to exist");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.weight")->dims = {0, 3}; }), "dimension of 0");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.weight")->dims = {1, 1, 1, 1, 1}; }),
                    "5 dimensions");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.bias")->offset = int64_t(1) << 40; }),
                    "past the end");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.bias")->offset = 68; }),
                    "not a multiple of 64");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.bias")->offset = 0; }), "overlap");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.bias")->size = 16; }), "takes 12");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.bias")->dtype = 7; }),
                    "data type 7, which this scpt does not know (it reads model format version 1)");
    EXPECT_REJECTED(with([](SpecFile& f) { f.tensors.push_back(f.tensors[1]); }), "appears twice");
    EXPECT_REJECTED(with([](SpecFile& f) { f.tensors.pop_back(); }), "no tensor 'encoder.bias'");
    EXPECT_REJECTED(with([](SpecFile& f) {
                        f.find_tensor("encoder.weight")->dims = {3, 2};
                    }),
                    "tensor 'encoder.weight' is f32 [3, 2], expected f32 [2, 3]");
    // q8 weights without their scales.
    EXPECT_REJECTED(with([](SpecFile& f) {
                        auto* t = f.find_tensor("encoder.weight");
                        t->dtype = 2;
                        t->data = std::string(6, '\1');
                    }),
                    "no tensor 'encoder.weight.scale'");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_tensor("encoder.bias")->data = test::f32_bytes({1, NAN, 2}); }),
                    "not a finite number");
}

TEST(ModelFileReject, MetadataRules) {
    auto with = [](auto edit) {
        SpecFile f = SpecFile::minimal();
        edit(f);
        return f.build();
    };
    EXPECT_REJECTED(with([](SpecFile& f) { f.meta.erase(f.meta.begin() + 1); }), "no 'encoder.genes' entry");
    EXPECT_REJECTED(with([](SpecFile& f) { *f.find_meta("encoder.genes") = test::meta_str("encoder.genes", "2"); }),
                    "'encoder.genes' is a string, expected a u64");
    EXPECT_REJECTED(with([](SpecFile& f) { f.meta.push_back(f.meta[0]); }), "appears twice");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_meta("model.transform")->value = test::SpecBytes().str("zscore").b; }),
                    "'zscore', which this scpt does not know: update scpt");
    EXPECT_REJECTED(with([](SpecFile& f) { *f.find_meta("genes.mouse_symbol") = test::meta_strs("genes.mouse_symbol", {"a"}); }),
                    "one name per encoder row");
    EXPECT_REJECTED(with([](SpecFile& f) {
                        f.find_meta("genes.human_symbol")->value = test::SpecBytes().u64(uint64_t(1) << 60).b;
                    }),
                    "declares 1152921504606846976 entries");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_meta("encoder.genes")->value += "x"; }), "extra bytes");
    EXPECT_REJECTED(with([](SpecFile& f) { f.find_meta("encoder.hidden")->value = test::SpecBytes().u64(0).b; }),
                    "0 hidden units");
    // Genes beyond the reader's limit are refused before the vocabulary is read.
    SpecFile f = SpecFile::minimal();
    Limits tiny;
    tiny.max_genes = 1;
    EXPECT_NE(error_of(f.build(), tiny).find("declares 2 genes, above the limit of 1"), std::string::npos);
    // A classifier listed without its tensors.
    EXPECT_REJECTED(with([](SpecFile& f) {
                        f.meta.push_back(test::meta_strs("classifiers", {"pbmc"}));
                        f.meta.push_back(test::meta_strs("classifier.pbmc.classes", {"B", "T"}));
                    }),
                    "classifier 'pbmc' has no valid tensor");
}

TEST(ModelFileReject, UnknownKeysAndTensorsAreIgnored) {
    SpecFile f = SpecFile::minimal();
    f.meta.push_back({"future.key", 99, std::string(13, '\x55')});  // a type this reader does not know
    f.meta.push_back(test::meta_u64("future.number", 5));
    f.tensors.push_back({"future.tensor", 0, {2}, test::f32_bytes({1, 2})});
    ModelFileLayout layout;
    Model m = read_model(f.build(), {}, "m", &layout);
    EXPECT_EQ(m.encoder.bias, (std::vector<float>{-1, -2, -3}));
    EXPECT_EQ(layout.ignored_keys, (std::vector<std::string>{"future.key", "future.number"}));
    EXPECT_EQ(layout.ignored_tensors, (std::vector<std::string>{"future.tensor"}));
}

}  // namespace
}  // namespace scpt
