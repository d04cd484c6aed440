// Round trips and layout of the model file (models/FORMAT.md).
#include "core/model/model_file.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "core/model/byte_io.hpp"
#include "core/model/model_file_format.hpp"
#include "core/model/quantize.hpp"
#include "core/util/xxh64.hpp"
#include "tests/core/model/model_test_util.hpp"

namespace scpt {
namespace {

void expect_same(const Model& a, const Model& b) {
    EXPECT_EQ(a.info.transform, b.info.transform);
    EXPECT_EQ(a.info.datasets, b.info.datasets);
    EXPECT_EQ(a.info.seed, b.info.seed);
    EXPECT_EQ(a.info.created, b.info.created);
    EXPECT_EQ(a.info.tool_version, b.info.tool_version);
    EXPECT_EQ(a.info.notes, b.info.notes);
    ASSERT_EQ(a.info.genes.size(), b.info.genes.size());
    for (size_t g = 0; g < a.info.genes.size(); ++g) {
        EXPECT_EQ(a.info.genes[g].human_symbol, b.info.genes[g].human_symbol);
        EXPECT_EQ(a.info.genes[g].mouse_symbol, b.info.genes[g].mouse_symbol);
        EXPECT_EQ(a.info.genes[g].ensembl_id, b.info.genes[g].ensembl_id);
    }
    const EncoderWeights &x = a.encoder, &y = b.encoder;
    EXPECT_EQ(x.genes, y.genes);
    EXPECT_EQ(x.hidden, y.hidden);
    EXPECT_EQ(x.dtype, y.dtype);
    EXPECT_EQ(x.f32, y.f32);  // exact: vectors of floats compare bit-for-bit for finite values
    EXPECT_EQ(x.f16, y.f16);
    EXPECT_EQ(x.q8, y.q8);
    EXPECT_EQ(x.q8_scale, y.q8_scale);
    EXPECT_EQ(x.q4, y.q4);
    EXPECT_EQ(x.q4_scale, y.q4_scale);
    EXPECT_EQ(x.bias, y.bias);
    ASSERT_EQ(a.classifiers.size(), b.classifiers.size());
    for (size_t i = 0; i < a.classifiers.size(); ++i) {
        const auto &c = a.classifiers[i], &d = b.classifiers[i];
        EXPECT_EQ(c.name, d.name);
        EXPECT_EQ(c.description, d.description);
        EXPECT_EQ(c.classes, d.classes);
        EXPECT_EQ(c.h1, d.h1);
        EXPECT_EQ(c.fc1_w, d.fc1_w);
        EXPECT_EQ(c.fc1_b, d.fc1_b);
        EXPECT_EQ(c.fc2_w, d.fc2_w);
        EXPECT_EQ(c.fc2_b, d.fc2_b);
        EXPECT_EQ(c.calibration, d.calibration);
    }
}

class RoundTrip : public ::testing::TestWithParam<std::tuple<DType, Compression>> {};

TEST_P(RoundTrip, EveryFieldExact) {
    auto [dtype, compression] = GetParam();
    // hidden 70: not a multiple of 32, so q4 has a padded tail block.
    Model m = test::random_model(53, 70, 7, 2);
    m.encoder = quantize(m.encoder, dtype);
    m.info.transform = Transform::CountsPer10kLog1p;
    WriteOptions wo;
    wo.compression = compression;
    std::string bytes = write_model(m, wo);
    ModelFileLayout layout;
    Model r = read_model(bytes, {}, "m.scpt", &layout);
    expect_same(m, r);
    EXPECT_EQ(r.info.format_version, kModelFormatVersion);
    EXPECT_EQ(layout.compressed, compression == Compression::Zstd);
    EXPECT_EQ(layout.file_bytes, bytes.size());
    EXPECT_TRUE(layout.ignored_keys.empty());
    EXPECT_TRUE(layout.ignored_tensors.empty());
    // Writing what was read gives the same bytes: nothing is lost or reordered.
    EXPECT_EQ(write_model(r, wo), bytes);
}

INSTANTIATE_TEST_SUITE_P(AllTypes, RoundTrip,
                         ::testing::Combine(::testing::Values(DType::F32, DType::F16, DType::Q8, DType::Q4),
                                            ::testing::Values(Compression::None, Compression::Zstd)),
                         [](const auto& info) {
                             return std::string(dtype_name(std::get<0>(info.param))) +
                                    (std::get<1>(info.param) == Compression::Zstd ? "_zstd" : "_raw");
                         });

TEST(ModelFile, EmptyStringsAndNoClassifiers) {
    Model m = test::random_model(3, 1, 1, 0);
    m.info = ModelInfo{};
    m.info.genes.resize(3);  // all names empty
    Model r = read_model(write_model(m));
    expect_same(m, r);
}

TEST(ModelFile, HeaderLayoutMatchesTheSpecification) {
    Model m = test::random_model(10, 40, 3, 1);
    WriteOptions wo;
    wo.compression = Compression::None;
    std::string b = write_model(m, wo);
    auto u32 = [&](size_t o) { return uint32_t(bytes::load_le(b.data() + o, 4)); };
    auto u64 = [&](size_t o) { return bytes::load_le(b.data() + o, 8); };
    EXPECT_EQ(b.substr(0, 8), std::string("\x89SCPT\r\n\x1a", 8));
    EXPECT_EQ(u32(8), 1u);
    EXPECT_EQ(u32(12), 64u);
    EXPECT_EQ(u32(16), 0u);  // not compressed
    EXPECT_EQ(u64(24), b.size() - 64);
    EXPECT_EQ(u64(32), b.size() - 64);
    EXPECT_EQ(u64(40), xxh64(b.data() + 64, b.size() - 64));
    EXPECT_EQ(u64(56), xxh64(b.data(), 56));
    // Uncompressed tensors are usable in place: 64-byte aligned within the file.
    ModelFileLayout layout;
    read_model(b, {}, "m", &layout);
    ASSERT_FALSE(layout.tensors.empty());
    const std::string want = std::string("encoder.weight");
    bool found = false;
    for (const auto& t : layout.tensors) {
        EXPECT_EQ(t.offset % 64, 0u) << t.name;
        if (t.name == want) {
            found = true;
            EXPECT_EQ(t.dims, (std::vector<int64_t>{10, 40}));
            // The bytes located from the table are the weights, little-endian f32.
            EXPECT_EQ(layout.data_start % 64, 0u);
            std::string weights(m.encoder.f32.size() * 4, '\0');
            std::memcpy(weights.data(), m.encoder.f32.data(), weights.size());
            EXPECT_EQ(b.substr(64 + layout.data_start + t.offset, t.size), weights);
        }
    }
    EXPECT_TRUE(found);
}

TEST(ModelFile, CompressionShrinksQuantizedAndTextHeavyModels) {
    Model m = test::random_model(2000, 50, 5, 1);
    m.encoder = quantize(m.encoder, DType::Q4);
    WriteOptions raw, z;
    raw.compression = Compression::None;
    z.compression = Compression::Zstd;
    EXPECT_LT(write_model(m, z).size(), write_model(m, raw).size());
}

TEST(ModelFile, WriterRefusesInconsistentModels) {
    Model m = test::random_model(5, 8, 1, 1);
    m.info.genes.pop_back();
    EXPECT_THROW(write_model(m), InputError);
    m = test::random_model(5, 8, 1, 1);
    m.classifiers[0].name = "bad.name";
    EXPECT_THROW(write_model(m), InputError);
    m = test::random_model(5, 8, 1, 2);
    m.classifiers[1].name = m.classifiers[0].name;
    EXPECT_THROW(write_model(m), InputError);
    m = test::random_model(5, 8, 1, 0);
    m.encoder.f32[3] = NAN;
    EXPECT_THROW(write_model(m), InputError);
}

}  // namespace
}  // namespace scpt
