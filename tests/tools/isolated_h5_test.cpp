// tools/native/isolated_h5: libhdf5 in a child process answers exactly as in-process, and a file that
// crashes, hangs or exhausts libhdf5 (tests/tools/h5_library_crashes: real libFuzzer findings against
// Debian's libhdf5 1.10.8, see FUZZING.md) becomes an InputError naming the file.
#include "tools/native/isolated_h5.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/io/format.hpp"
#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"
#include "tests/tools/cli_run.hpp"
#include "tools/native/under_asan.hpp"
#include "tests/test_data.hpp"
#include "tools/native/hdf5_file.hpp"
#include "tools/native/input.hpp"

namespace scpt::native {
namespace {

std::string crash_file(const std::string& name) { return test::source_path("tests/tools/h5_library_crashes/" + name); }

// The InputError of reading `path` through an isolated source (empty when it read).
std::string error_reading(const std::string& path, const IsolatedH5Options& o = {}) {
    try {
        auto f = open_isolated_h5(path, o);
        CellMatrix m = io::read_h5(*f, {});
        m.validate(path);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

// No reader process is left behind (running or as a zombie) once a source is gone.
void expect_no_children() {
    int st = 0;
    EXPECT_EQ(waitpid(-1, &st, WNOHANG), -1) << "a reader process was left behind";
}

TEST(IsolatedH5, AnswersAsLibhdf5InProcess) {
    for (const char* rel : {"fixtures/h5ad/10x_pbmc68k_reduced.h5ad", "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix.h5",
                            "fixtures/scanpy_10x/1.2.0/multiple_genomes.h5", "fixtures/scp_ingest/test.h5ad"}) {
        SCPT_REQUIRE_DATA(rel);
        SCOPED_TRACE(rel);
        const std::string path = test::data_path(rel);
        auto direct = Hdf5File::open(path);
        auto isolated = open_isolated_h5(path);
        EXPECT_EQ(isolated->name(), path);
        EXPECT_EQ(isolated->children("/"), direct->children("/"));
        io::InputFormat fa, fb;
        CellMatrix a = io::read_h5(*direct, {}, &fa);
        CellMatrix b = io::read_h5(*isolated, {}, &fb);
        EXPECT_EQ(fa, fb);
        test::expect_same_matrix(a, b);
        ASSERT_EQ(a.obs.size(), b.obs.size());
        for (size_t k = 0; k < a.obs.size(); ++k) {
            EXPECT_EQ(a.obs[k].name, b.obs[k].name);
            EXPECT_EQ(a.obs[k].levels, b.obs[k].levels);
            EXPECT_EQ(a.obs[k].codes, b.obs[k].codes);
            EXPECT_EQ(a.obs[k].numbers, b.obs[k].numbers);
        }
    }
    expect_no_children();
}

TEST(IsolatedH5, EveryCallOfTheContract) {
    const std::string rel = "fixtures/h5ad/10x_pbmc68k_reduced.h5ad";
    SCPT_REQUIRE_DATA(rel);
    auto d = Hdf5File::open(test::data_path(rel));
    auto s = open_isolated_h5(test::data_path(rel));
    for (const char* p : {"/X", "/obs", "/nothing", "/obs/nothing/deeper"}) {
        EXPECT_EQ(s->exists(p), d->exists(p)) << p;
        EXPECT_EQ(s->is_group(p), d->is_group(p)) << p;
    }
    const std::string idx = "/obs/" + d->read_string_attribute("/obs", "_index").at(0);
    io::H5DatasetInfo a = d->dataset_info(idx), b = s->dataset_info(idx);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.shape, b.shape);
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.variable_string, b.variable_string);
    EXPECT_EQ(a.stored_bytes, b.stored_bytes);
    EXPECT_EQ(s->read_strings(idx, 3, 5), d->read_strings(idx, 3, 5));
    EXPECT_EQ(s->has_attribute("/", "encoding-type"), d->has_attribute("/", "encoding-type"));
    EXPECT_EQ(s->read_string_attribute("/obs", "column-order"), d->read_string_attribute("/obs", "column-order"));
    // X is dense float32 in this file: every numeric buffer type, a block in the middle.
    const int64_t cols = d->dataset_info("/X").row_size();
    std::vector<double> xd(5 * cols), yd(5 * cols);
    d->read_double("/X", 10, 5, xd.data());
    s->read_double("/X", 10, 5, yd.data());
    EXPECT_EQ(xd, yd);
    std::vector<float> xf(2 * cols), yf(2 * cols);
    d->read_float("/X", 0, 2, xf.data());
    s->read_float("/X", 0, 2, yf.data());
    EXPECT_EQ(xf, yf);
    // The reader's errors come back with libhdf5-in-process's words, and it keeps answering.
    auto message = [](auto fn) {
        try {
            fn();
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message([&] { s->dataset_info("/missing"); }), message([&] { d->dataset_info("/missing"); }));
    EXPECT_EQ(message([&] { s->read_strings("/X", 0, 1); }), message([&] { d->read_strings("/X", 0, 1); }));
    EXPECT_EQ(message([&] { s->read_float("/X", a.rows() + 5, 1, yf.data()); }),
              message([&] { d->read_float("/X", a.rows() + 5, 1, xf.data()); }));
    EXPECT_TRUE(s->exists("/X"));
}

TEST(IsolatedH5, MissingAndForeignFilesSayWhatTheyAre) {
    test::TempDir dir;
    test::spit(dir.file("notes.h5ad"), "not an HDF5 file at all\n");
    EXPECT_NE(error_reading(dir.file("missing.h5")).find("missing.h5: does not exist"), std::string::npos);
    EXPECT_NE(error_reading(dir.file("notes.h5ad")).find("notes.h5ad: is not an HDF5 file"), std::string::npos);
    expect_no_children();
}

TEST(IsolatedH5, ALibraryCrashIsAnInputError) {
    // In-process, libhdf5 1.10.8 dies of SIGFPE on this file (H5D__chunk_set_info divides by zero).
    const std::string path = crash_file("division_by_zero.h5");
    std::string err = error_reading(path);
    EXPECT_EQ(err.rfind(path + ": the HDF5 library ", 0), 0u) << err;
    EXPECT_NE(err.find("damaged"), std::string::npos) << err;
    // Through the tools' reader: the same message, not a dead process.
    try {
        read_input(path);
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("the HDF5 library"), std::string::npos) << e.what();
    }
    expect_no_children();
}

TEST(IsolatedH5, TheCliAnswersACrashingFileWithStatusTwoAndOneLine) {
    test::TempDir dir;
    const std::string path = crash_file("division_by_zero.h5");
    test::CliResult r = test::run_scpt("info " + test::quoted(path), dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.rfind("scpt: " + path + ": the HDF5 library ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST(IsolatedH5, HeapCorruptionInsideLibhdf5StaysInTheReader) {
    // In-process this file aborts with "free(): invalid pointer" when libhdf5 closes it; the reader is
    // killed instead of closing, so the matrix either reads (and is valid) or is refused.
    const std::string path = crash_file("invalid_free.h5");
    try {
        CellMatrix m = read_input(path);
        m.validate(path);
        EXPECT_GT(m.n_cells, 0);
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path, 0), 0u) << e.what();
    }
    expect_no_children();
}

TEST(IsolatedH5, AnEndlessLoopIsCutAfterTheRequestTimeout) {
    IsolatedH5Options o;
    o.seconds_per_request = 2;
    const std::string path = crash_file("endless_loop.h5");
    std::string err = error_reading(path, o);
    EXPECT_NE(err.find("stopped responding"), std::string::npos) << err;
    EXPECT_NE(err.find("no answer in 2 s"), std::string::npos) << err;
    expect_no_children();
}

TEST(IsolatedH5, CancelStopsAReaderStuckInTheLibrary) {
    std::atomic<bool> cancel{false};
    IsolatedH5Options o;
    o.seconds_per_request = 600;  // far longer than the test: only the cancel can end it
    o.cancel = &cancel;
    std::thread ctrl_c([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    EXPECT_THROW(error_reading(crash_file("endless_loop.h5"), o), Cancelled);
    ctrl_c.join();
    expect_no_children();
}

TEST(IsolatedH5, UnboundedAllocationMeetsTheMemoryCap) {
#if SCPT_UNDER_ASAN
    GTEST_SKIP() << "the cap (RLIMIT_AS) is not applied under AddressSanitizer";
#endif
    // In-process libhdf5 grows without bound on this file (10 GB in 20 s); the reader's cap stops it.
    IsolatedH5Options o;
    o.memory_bytes = int64_t(512) << 20;
    const std::string path = crash_file("unbounded_allocation.h5");
    std::string err = error_reading(path, o);
    EXPECT_EQ(err.rfind(path + ": ", 0), 0u) << err;
    EXPECT_FALSE(err.empty());
    expect_no_children();
}

TEST(IsolatedH5, RefusesANonPositiveTimeout) {
    IsolatedH5Options o;
    o.seconds_per_request = 0;
    EXPECT_THROW(open_isolated_h5(crash_file("invalid_free.h5"), o), std::invalid_argument);
}

}  // namespace
}  // namespace scpt::native
