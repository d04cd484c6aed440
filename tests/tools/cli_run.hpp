// Runs the built scpt binary (SCPT_CLI_PATH) as a user would and collects status, stdout, stderr.
#pragma once
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "tests/io_test_util.hpp"

namespace scpt::test {

struct CliResult {
    int status = -1;
    std::string out, err;
};

// `args` is appended to the binary's path as shell words (quote paths).
inline CliResult run_scpt(const std::string& args, const TempDir& dir) {
    const std::string cmd = std::string("'") + SCPT_CLI_PATH + "' " + args + " >'" + dir.file("stdout") + "' 2>'" +
                            dir.file("stderr") + "'";
    const int st = std::system(cmd.c_str());
    CliResult r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = slurp(dir.file("stdout"));
    r.err = slurp(dir.file("stderr"));
    return r;
}

inline std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace scpt::test
