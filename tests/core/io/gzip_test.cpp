#include "core/io/gzip.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

const char* kMtxGz = "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix/matrix.mtx.gz";

TEST(Gzip, InflatesARealFileLikeZlib) {
    SCPT_REQUIRE_DATA(kMtxGz);
    std::string gz = test::slurp(test::data_path(kMtxGz));
    ASSERT_TRUE(is_gzip(gz));
    std::string out = gunzip(gz, "matrix.mtx.gz", int64_t(1) << 30);
    EXPECT_EQ(out, test::gunzip_bytes(gz));
    EXPECT_EQ(out.substr(0, 14), "%%MatrixMarket");
}

TEST(Gzip, AnyChunkingGivesTheSameBytes) {
    SCPT_REQUIRE_DATA(kMtxGz);
    std::string gz = test::slurp(test::data_path(kMtxGz));
    std::string whole = test::gunzip_bytes(gz);
    for (size_t step : {1u, 7u, 4096u, 100000u}) {
        GzipInflater inf("m", int64_t(1) << 30);
        std::string out;
        for (size_t p = 0; p < gz.size(); p += step)
            inf.feed(std::string_view(gz).substr(p, step), [&](std::string_view s) { out.append(s); });
        inf.finish();
        EXPECT_EQ(out, whole) << "step " << step;
    }
}

TEST(Gzip, ConcatenatedMembersAreOneStream) {
    std::string a = "first part\n", b = "second part\n";
    std::string gz = test::gzip_bytes(a) + test::gzip_bytes(b);
    EXPECT_EQ(gunzip(gz, "x.gz", 1000), a + b);
}

TEST(Gzip, CutStreamIsAClearError) {
    SCPT_REQUIRE_DATA(kMtxGz);
    std::string gz = test::slurp(test::data_path(kMtxGz));
    try {
        gunzip(std::string_view(gz).substr(0, gz.size() / 2), "matrix.mtx.gz", int64_t(1) << 30);
        FAIL() << "a cut gzip stream was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("matrix.mtx.gz: is cut short"), std::string::npos) << e.what();
    }
}

TEST(Gzip, CorruptDataIsAClearError) {
    std::string gz = test::gzip_bytes(std::string(10000, 'x') + "some text that compresses");
    for (size_t i = 20; i < gz.size() - 10; ++i) gz[i] = char(gz[i] ^ 0x5a);
    try {
        gunzip(gz, "bad.gz", 1 << 20);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.gz"), std::string::npos);
    }
}

TEST(Gzip, OutputCapIsEnforced) {
    std::string gz = test::gzip_bytes(std::string(1 << 20, 'a'));
    try {
        gunzip(gz, "bomb.gz", 1000);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("more than 1000 bytes"), std::string::npos) << e.what();
    }
}

TEST(Gzip, PrefixForSniffing) {
    std::string text(100000, 'z');
    std::string p = gunzip_prefix(test::gzip_bytes(text), 500);
    EXPECT_EQ(p, text.substr(0, 500));
}

}  // namespace
}  // namespace scpt::io
