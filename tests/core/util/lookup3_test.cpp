// lookup3 (core/util/lookup3.hpp), the checksum of HDF5's version 2 metadata.
#include "core/util/lookup3.hpp"

#include <gtest/gtest.h>

namespace scpt {
namespace {

TEST(Lookup3, MatchesBobJenkinsTestVectors) {
    // From lookup3.c's driver5(): hashlittle("", 0, 0), then "Four score and seven years ago".
    EXPECT_EQ(lookup3("", 0, 0), 0xdeadbeefu);
    const char* s = "Four score and seven years ago";
    EXPECT_EQ(lookup3(s, 30, 0), 0x17770551u);
    EXPECT_EQ(lookup3(s, 30, 1), 0xcd628161u);
}

}  // namespace
}  // namespace scpt
