#include "tools/native/default_model.hpp"

#include <unistd.h>

#include <cstdlib>

#include "tools/native/files.hpp"

namespace scpt::native {
namespace {

std::string executable_dir() {
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string p(buf, size_t(n));
    const size_t s = p.find_last_of('/');
    return s == std::string::npos ? "" : p.substr(0, s);
}

}  // namespace

std::string find_default_model(std::vector<std::string>* looked) {
    std::vector<std::string> candidates;
    if (const char* e = std::getenv("SCPT_MODEL"); e && *e) candidates.push_back(e);
    const std::string dir = executable_dir();
    if (!dir.empty()) {
        candidates.push_back(dir + "/../../models/default.scpt");
        candidates.push_back(dir + "/../share/scpt/models/default.scpt");
    }
    for (const auto& c : candidates)
        if (exists(c) && !is_directory(c)) return c;
    if (looked) *looked = candidates;
    return "";
}

}  // namespace scpt::native
