// An H5Source whose libhdf5 runs in a child process.
//
// Debian's libhdf5 (1.10) crashes, hangs or allocates without bound on some crafted or damaged
// files (FUZZING.md lists 22 kinds, every one inside the library). The tools therefore never call
// libhdf5 themselves: open_isolated_h5 forks a reader that holds an Hdf5File and answers one
// request at a time over a socket. When the reader dies (a signal, an abort), stops answering
// (an endless loop) or exceeds its memory cap, the caller gets an InputError naming the file and
// the tool exits with status 2 and one line, as for any other bad input. Linux only (fork,
// socketpair, prctl); the browser build reads HDF5 with h5wasm instead.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/io/h5_source.hpp"

namespace scpt::native {

struct IsolatedH5Options {
    // Longest one request (open, a listing, one block of a dataset) may go unanswered before the
    // reader is deemed stuck and killed. Readers ask for bounded blocks, so a healthy file answers
    // each in well under a second; the margin is for slow disks and large string columns.
    double seconds_per_request = 120;
    // Address space the reader may use (RLIMIT_AS); 0: no cap. A request holds one block of a
    // dataset, so 4 GiB is far above what a valid file needs and stops a corrupt header's size
    // before it exhausts the machine. Not applied under AddressSanitizer, which reserves terabytes.
    int64_t memory_bytes = int64_t(4) << 30;
    // When it becomes true while waiting for the reader, the reader is killed and Cancelled thrown.
    const std::atomic<bool>* cancel = nullptr;
};

// Opens `path` in a reader process. Throws InputError naming the path when it is missing, is not
// HDF5, cannot be opened, or the reader fails as described above. Calls on the result follow the
// H5Source contract and must come from one thread at a time, while the thread that opened it lives
// (the reader is killed when that thread ends: PR_SET_PDEATHSIG follows the thread, not the process).
std::unique_ptr<io::H5Source> open_isolated_h5(const std::string& path, const IsolatedH5Options& options = {});

}  // namespace scpt::native
