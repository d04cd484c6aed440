// Where tests find the real datasets of ../shared/data (SCPT_DATA overrides), and a way to skip
// clearly when they are absent instead of failing or silently passing.
#pragma once
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace scpt::test {

inline std::string shared_data_dir() {
    const char* env = std::getenv("SCPT_DATA");
    return env && *env ? std::string(env) : std::string(SCPT_SHARED_DATA_DEFAULT);
}

inline std::string data_path(const std::string& rel) { return shared_data_dir() + "/" + rel; }

inline bool path_exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}

inline std::string source_path(const std::string& rel) { return std::string(SCPT_SOURCE_DIR) + "/" + rel; }

}  // namespace scpt::test

// Skips the current test, saying which shared file is missing.
#define SCPT_REQUIRE_DATA(rel)                                                                    \
    do {                                                                                          \
        if (!::scpt::test::path_exists(::scpt::test::data_path(rel)))                             \
            GTEST_SKIP() << "shared data not found: " << ::scpt::test::data_path(rel)             \
                         << " (set SCPT_DATA to the folder of ../shared/data)";                   \
    } while (0)
