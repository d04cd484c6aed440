#include "core/util/xxh64.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

#include <string>

#include "core/util/rng.hpp"

namespace scpt {
namespace {

TEST(Xxh64, KnownValues) {
    // Values computed with the reference library (libxxhash 0.8.1, XXH64).
    EXPECT_EQ(xxh64("", 0), 0xef46db3751d8e999ull);
    EXPECT_EQ(xxh64("a"), 0xd24ec4f1a98c6e5bull);
    EXPECT_EQ(xxh64("abc"), 0x44bc2cf5ad770999ull);
    EXPECT_EQ(xxh64("scpretrain.cpp"), 0x449f007a95109a68ull);
    std::string s100;
    for (int i = 0; i < 100; ++i) s100.push_back(char(i));
    EXPECT_EQ(xxh64(s100), 0x6ac1e58032166597ull);
    EXPECT_EQ(xxh64(std::string(1000, 'x')), 0x4cb9a3b69cb700e1ull);
    EXPECT_EQ(xxh64(std::string_view(""), 12345), 0x95584af7701f808dull);
    EXPECT_EQ(xxh64(std::string(1000, 'x'), 12345), 0xd825bb31adce6dfeull);
}

TEST(Xxh64, AgreesWithZstdFrameChecksumAtEveryLength) {
    // zstd's frame checksum is the low 32 bits of XXH64(content, seed 0): an independent check of
    // every tail path (lengths 0..130 cover the 32-byte stripes and the 8/4/1-byte tails).
    Rng rng(42);
    std::string data;
    for (size_t n = 0; n <= 130; ++n) {
        std::string frame(ZSTD_compressBound(n), '\0');
        ZSTD_CCtx* c = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
        size_t k = ZSTD_compress2(c, frame.data(), frame.size(), data.data(), n);
        ZSTD_freeCCtx(c);
        ASSERT_FALSE(ZSTD_isError(k));
        uint32_t stored = 0;
        for (int i = 3; i >= 0; --i) stored = (stored << 8) | uint8_t(frame[k - 4 + size_t(i)]);
        EXPECT_EQ(stored, uint32_t(xxh64(data.data(), n))) << "length " << n;
        data.push_back(char(rng.next_u64()));
    }
}

}  // namespace
}  // namespace scpt
