// Runs every case of the hostile-input catalogue (tests/hostile/catalogue.json) through the real
// scpt binary (SCPT_CLI_PATH) in a child process with bounded memory and time, and checks the
// contract of issue 5: exit status 2 and exactly one line on stderr naming the file and the
// problem (or, for defined outcomes, status 0 and a note saying what was done), nothing written
// to the output folder (no final file, no temporary), files already there left untouched.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <dirent.h>
#include <map>
#include <regex>
#include <thread>

#include "tests/hostile/generator.hpp"
#include "tests/io_test_util.hpp"
#include "tools/native/under_asan.hpp"

namespace scpt {
namespace {

constexpr bool kAsan = SCPT_UNDER_ASAN;

constexpr int64_t kMemoryLimit = int64_t(2) << 30;  // address space of the child (not under ASan)
constexpr int kTimeoutSeconds = 60;                   // wall clock; the machine may be shared

struct ChildRun {
    int status = -1;       // exit status, or -signal
    bool timed_out = false;
    std::string out, err;
    long max_rss_kb = 0;
};

ChildRun run_scpt(const std::vector<std::string>& args, const std::string& dir) {
    const std::string out_path = dir + "/.stdout", err_path = dir + "/.stderr";
    pid_t pid = ::fork();
    if (pid == 0) {
        int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(o, 1), ::dup2(e, 2);
        if (kAsan) {
            // ASan reserves terabytes of shadow memory, so RLIMIT_AS cannot be used: cap the
            // resident size and any single allocation instead (either ends the run with a report).
            ::setenv("ASAN_OPTIONS", "hard_rss_limit_mb=2500:max_allocation_size_mb=2048:detect_leaks=1", 1);
        } else {
            rlimit as{rlim_t(kMemoryLimit), rlim_t(kMemoryLimit)};
            ::setrlimit(RLIMIT_AS, &as);
        }
        rlimit cpu{kTimeoutSeconds, kTimeoutSeconds};
        ::setrlimit(RLIMIT_CPU, &cpu);
        std::vector<char*> argv{const_cast<char*>(SCPT_CLI_PATH)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(SCPT_CLI_PATH, argv.data());
        ::_exit(127);
    }
    ChildRun r;
    auto start = std::chrono::steady_clock::now();
    int wstatus = 0;
    rusage ru{};
    for (;;) {
        pid_t w = ::wait4(pid, &wstatus, WNOHANG, &ru);
        if (w == pid) break;
        if (std::chrono::steady_clock::now() - start > std::chrono::seconds(kTimeoutSeconds)) {
            ::kill(pid, SIGKILL);
            ::wait4(pid, &wstatus, 0, &ru);
            r.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -WTERMSIG(wstatus);
    r.max_rss_kb = ru.ru_maxrss;
    r.out = test::slurp(out_path);
    r.err = test::slurp(err_path);
    std::remove(out_path.c_str());
    std::remove(err_path.c_str());
    return r;
}

// name -> size and content hash of every file under dir (recursive), to see what a run changed.
std::map<std::string, std::string> snapshot(const std::string& dir, const std::string& prefix = "") {
    std::map<std::string, std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == ".." || n == ".stdout" || n == ".stderr") continue;
        std::string p = dir + "/" + n;
        struct stat st;
        ::stat(p.c_str(), &st);
        if (S_ISDIR(st.st_mode)) {
            for (auto& kv : snapshot(p, prefix + n + "/")) out.insert(kv);
        } else {
            out[prefix + n] = std::to_string(st.st_size) + ":" + std::to_string(std::hash<std::string>{}(test::slurp(p)));
        }
    }
    ::closedir(d);
    return out;
}

// Subcommands that are still placeholders ("(not built yet)" in `scpt --help`).
bool is_placeholder(const std::string& command) {
    static const std::string help = [] {
        test::TempDir d;
        return run_scpt({"--help"}, d.path()).out;
    }();
    std::regex line("\\n\\s*" + command + "\\s+\\(not built yet\\)");
    return std::regex_search(help, line);
}

std::vector<hostile::Case> catalogue() {
    static std::vector<hostile::Case> cases = hostile::load_catalogue(test::source_path("tests/hostile/catalogue.json"));
    return cases;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

class Hostile : public ::testing::TestWithParam<hostile::Case> {};

TEST_P(Hostile, AnsweredClearlyWithinBounds) {
    const hostile::Case& c = GetParam();
    if (is_placeholder(c.command)) GTEST_SKIP() << "'scpt " << c.command << "' is not built yet";
    test::TempDir root;
    const std::string dir = root.file(c.id), out = root.file("out");
    ::mkdir(dir.c_str(), 0755);
    ::mkdir(out.c_str(), 0755);
    try {
        hostile::build_case(c, test::shared_data_dir(), dir);
    } catch (const hostile::MissingData& e) {
        GTEST_SKIP() << "shared data not found: " << e.what();
    }
    std::vector<std::string> args{c.command};
    for (const auto& a : c.args) {
        args.push_back(replace_all(replace_all(a, "{dir}", dir), "{out}", out));
        if (c.existing_output && a.rfind("{out}/", 0) == 0) test::spit(args.back(), "results of an earlier run\n");
    }
    const auto before_in = snapshot(dir), before_out = snapshot(out);

    ChildRun r = run_scpt(args, root.path());

    ASSERT_FALSE(r.timed_out) << c.id << ": still running after " << kTimeoutSeconds << " s";
    ASSERT_GE(r.status, 0) << c.id << ": killed by signal " << -r.status << "\n" << r.err.substr(0, 4000);
    if (!kAsan) {
        EXPECT_LT(r.max_rss_kb, kMemoryLimit / 1024) << c.id;
        // Cases whose file only DECLARES something huge must not allocate it.
        if (c.expect.contains("max_rss_mb"))
            EXPECT_LT(r.max_rss_kb, c.expect["max_rss_mb"].get<long>() * 1024) << c.id << ": peak memory";
    }
    EXPECT_EQ(r.status, c.status) << c.id << ": stderr: " << r.err << "\nstdout: " << r.out.substr(0, 2000);
    if (c.status == 2) {
        EXPECT_TRUE(r.out.empty()) << c.id << ": " << r.out;
        ASSERT_FALSE(r.err.empty()) << c.id;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.id << ": more than one line:\n" << r.err;
        EXPECT_EQ(r.err.back(), '\n') << c.id;
        EXPECT_EQ(r.err.rfind("scpt: ", 0), 0u) << c.id << ": " << r.err;
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << c.id << ": " << r.err;
        EXPECT_TRUE(r.err.find(dir) != std::string::npos || r.err.find(out) != std::string::npos)
            << c.id << ": the message does not name the input: " << r.err;
        EXPECT_TRUE(std::regex_search(r.err, std::regex(c.message))) << c.id << ": '" << r.err << "' does not match /" << c.message << "/";
    } else {
        // A defined outcome: the note is in the JSON report (info, inspect) or, for commands whose
        // stdout is not JSON, among the warnings on stderr.
        nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
        const bool is_json = !j.is_discarded() && j.is_object();
        if (c.command == "info") {
            ASSERT_TRUE(is_json) << c.id << ": stdout is not JSON: " << r.out.substr(0, 2000);
            EXPECT_TRUE(r.err.empty()) << c.id << ": " << r.err;
        }
        if (!c.message.empty()) {
            bool found = std::regex_search(r.err, std::regex(c.message));
            if (is_json)
                for (const auto& n : j.value("notes", nlohmann::json::array()))
                    found |= std::regex_search(n.get<std::string>(), std::regex(c.message));
            EXPECT_TRUE(found) << c.id << ": no note or warning matches /" << c.message << "/: "
                               << (is_json ? j.value("notes", nlohmann::json::array()).dump() : "") << r.err;
        }
        if (c.expect.contains("json")) {
            ASSERT_TRUE(is_json) << c.id;
            for (auto it = c.expect["json"].begin(); it != c.expect["json"].end(); ++it)
                EXPECT_EQ(j[it.key()], it.value()) << c.id << ": " << it.key();
        }
    }
    EXPECT_EQ(snapshot(dir), before_in) << c.id << ": the input folder changed (a temporary file left?)";
    if (c.status != 0) EXPECT_EQ(snapshot(out), before_out) << c.id << ": the output folder changed";
}

INSTANTIATE_TEST_SUITE_P(Catalogue, Hostile, ::testing::ValuesIn(catalogue()),
                         [](const ::testing::TestParamInfo<hostile::Case>& i) {
                             std::string n = i.param.id;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(HostileCatalogue, HasAtLeastThirtyErrorCasesAndDocumentedOutcomes) {
    int errors = 0, outcomes = 0;
    for (const auto& c : catalogue()) (c.status == 2 ? errors : outcomes)++;
    EXPECT_GE(errors, 30);
    EXPECT_GE(outcomes, 5);
}

}  // namespace
}  // namespace scpt
