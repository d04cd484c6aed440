// Reference classifiers with the linear head (FORMAT.md: classifier.<name>.head = linear) through
// the one writer and reader: every array comes back (the PCA loadings to f16 precision), and files
// that name encoder rows that do not exist, or a head this scpt does not know, are refused.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/model/model_file.hpp"
#include "core/util/error.hpp"
#include "core/util/rng.hpp"
#include "core/util/xxh64.hpp"
#include "tests/core/model/model_test_util.hpp"

namespace scpt {
namespace {

ReferenceClassifier linear_classifier(const Model& m, int64_t genes, int64_t pcs, uint64_t seed) {
    Rng rng(seed);
    auto draw = [&](size_t n) {
        std::vector<float> v(n);
        for (auto& x : v) x = float(rng.uniform() * 2 - 1);
        return v;
    };
    ReferenceClassifier c;
    c.name = "tissue_1";
    c.description = "test";
    c.head = ReferenceClassifier::Head::Linear;
    c.classes = {"a", "b", "c"};
    c.calibration = {1.5f, 0.5f};
    for (int64_t g = 0; g < genes; ++g) c.gene_rows.push_back(int32_t((g * 7) % m.encoder.genes));
    c.pcs = pcs;
    c.pca_mean = pcs ? draw(size_t(genes)) : std::vector<float>();
    c.pca_loadings = draw(size_t(genes * pcs));
    const size_t F = size_t(m.encoder.hidden + pcs);
    c.feature_mean = draw(F);
    c.feature_scale = draw(F);
    c.linear_w = draw(3 * F);
    c.linear_b = draw(3);
    return c;
}

TEST(ModelFileLinear, RoundTripsEveryArray) {
    for (int64_t pcs : {0, 5}) {
        Model m = test::random_model(50, 16, 3, 1);
        m.classifiers.push_back(linear_classifier(m, 20, pcs, 4));
        const Model back = read_model(write_model(m));
        ASSERT_EQ(back.classifiers.size(), 2u);
        const ReferenceClassifier &c = m.classifiers[1], &d = back.classifiers[1];
        EXPECT_EQ(d.head, ReferenceClassifier::Head::Linear);
        EXPECT_EQ(d.gene_rows, c.gene_rows);
        EXPECT_EQ(d.pcs, pcs);
        EXPECT_EQ(d.pca_mean, c.pca_mean);
        ASSERT_EQ(d.pca_loadings.size(), c.pca_loadings.size());
        for (size_t i = 0; i < c.pca_loadings.size(); ++i)
            EXPECT_NEAR(d.pca_loadings[i], c.pca_loadings[i], 1e-3) << i;  // f16: 11 bits of mantissa
        EXPECT_EQ(d.feature_mean, c.feature_mean);
        EXPECT_EQ(d.feature_scale, c.feature_scale);
        EXPECT_EQ(d.linear_w, c.linear_w);
        EXPECT_EQ(d.linear_b, c.linear_b);
        EXPECT_EQ(d.calibration, c.calibration);
        EXPECT_EQ(back.classifiers[0].head, ReferenceClassifier::Head::Mlp);  // the other kind alongside
    }
}

TEST(ModelFileLinear, WriterRefusesRowsOutsideTheEncoderOrRepeated) {
    Model m = test::random_model(50, 16, 3, 0);
    m.classifiers.push_back(linear_classifier(m, 10, 2, 4));
    m.classifiers[0].gene_rows[3] = 50;
    EXPECT_THROW(write_model(m), InputError);
    m.classifiers[0].gene_rows[3] = m.classifiers[0].gene_rows[2];
    EXPECT_THROW(write_model(m), InputError);
    m.classifiers[0] = linear_classifier(m, 10, 2, 4);
    m.classifiers[0].calibration = {1.f};  // no minimum probability
    EXPECT_THROW(write_model(m), InputError);
}

// The head's name and the genes are metadata: patch them in an uncompressed file.
std::string patched(std::string bytes, const std::string& from, const std::string& to) {
    const auto at = bytes.find(from);
    EXPECT_NE(at, std::string::npos);
    bytes.replace(at, from.size(), to);
    return bytes;
}

// Recomputes the checksums of an uncompressed file (FORMAT.md section 2), as a writer would.
std::string rehashed(std::string b) {
    const uint64_t stored = xxh64(std::string_view(b).substr(64));
    std::memcpy(&b[40], &stored, 8);  // little-endian host, as the tests elsewhere assume
    const uint64_t header = xxh64(b.data(), 56);
    std::memcpy(&b[56], &header, 8);
    return b;
}

TEST(ModelFileLinear, ReaderRefusesAnUnknownHeadOrAMissingRow) {
    Model m = test::random_model(50, 16, 3, 0);
    m.classifiers.push_back(linear_classifier(m, 10, 2, 4));
    WriteOptions o;
    o.compression = Compression::None;
    const std::string good = write_model(m, o);
    EXPECT_NO_THROW(read_model(good));
    try {
        read_model(rehashed(patched(good, "linear", "linea2")));
        FAIL() << "accepted an unknown head";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("head 'linea2'"), std::string::npos) << e.what();
    }
    // Row 7 (the second gene) becomes 70, beyond the 50 rows: f32 7.0 = 0x40e00000, 70.0 = 0x428c0000.
    const std::string seven("\x00\x00\xe0\x40", 4), seventy("\x00\x00\x8c\x42", 4);
    try {
        read_model(rehashed(patched(good, seven, seventy)));
        FAIL() << "accepted a row outside the encoder";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("gene row that does not exist"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace scpt
