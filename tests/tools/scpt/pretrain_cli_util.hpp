// Helpers of the scpt pretrain CLI tests: the binary run plainly or under mpirun, the models read back.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/io_test_util.hpp"
#include "tests/test_data.hpp"
#include "tools/native/files.hpp"

namespace scpt::test {

struct PretrainRun {
    int status = -1;
    std::string err;
};

// `launcher` is put before the binary ("" or "mpirun -np 2 --oversubscribe").
inline PretrainRun run_pretrain(const std::string& launcher, const std::string& args, const TempDir& dir) {
    // OpenMPI refuses to start as root unless told; harmless otherwise.
    const std::string env = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ";
    const std::string cmd = env + launcher + " '" + SCPT_CLI_PATH + "' pretrain " + args + " 2>'" + dir.file("err") + "'";
    const int st = std::system(cmd.c_str());
    PretrainRun r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.err = native::read_file(dir.file("err"));
    return r;
}

inline std::string quote_data(const std::string& rel) { return "'" + data_path(rel) + "'"; }

inline bool have_mpirun() { return std::system("command -v mpirun >/dev/null 2>&1") == 0; }

inline double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, double(std::fabs(a[i] - b[i])));
    return d;
}

}  // namespace scpt::test
