// The readers' words for an unreadable file: the same by name (the page's JS readers) as by kind
// (core, tools/native), and what the gzip reader throws for a cut file.
#include "core/io/read_failures.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/io/gzip.hpp"
#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

TEST(ReadFailures, ByNameAsByKind) {
    EXPECT_EQ(read_failure("not-hdf5", ""), read_failure(ReadFailure::NotHdf5));
    EXPECT_EQ(read_failure("hdf5-unopenable", ""), read_failure(ReadFailure::Hdf5Unopenable));
    EXPECT_EQ(read_failure("gzip-cut", ""), read_failure(ReadFailure::GzipCut));
    EXPECT_EQ(read_failure("gzip-corrupt", "invalid block type"), "is corrupt (gzip data error: invalid block type)");
    EXPECT_EQ(read_failure("gzip-corrupt", ""), "is corrupt (gzip data error)");
    EXPECT_THROW(read_failure("bored", ""), std::invalid_argument);
}

TEST(ReadFailures, TheGzipReaderSaysThem) {
    const std::string cut = test::gzip_bytes(std::string(5000, 'x')).substr(0, 30);
    std::string out;
    try {
        gunzip_if_gzip(cut, "m.mtx.gz", 1 << 20, out);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(read_failure(ReadFailure::GzipCut)), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace scpt::io
