// parallel_for over [0, n) in fixed contiguous chunks: the split depends only on n and the thread
// count, so results that combine per-chunk partial sums in chunk order are deterministic.
#pragma once
#include <algorithm>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace scpt {

// Calls fn(begin, end, chunk_index) for `chunks` contiguous ranges covering [0, n).
// With threads <= 1 everything runs on the caller's thread (required in single-threaded wasm).
template <class Fn>
void parallel_chunks(int64_t n, int threads, Fn&& fn) {
    if (n <= 0) return;
    int t = std::max(1, std::min<int>(threads, int(std::min<int64_t>(n, 256))));
    if (t == 1) {
        fn(int64_t(0), n, 0);
        return;
    }
    // Chunk 0 runs on the calling thread: one thread fewer, and progress reported from chunk 0
    // reaches callers that can only be called back on their own thread (the browser's worker).
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(t);
    auto run = [&](int c) {
        try {
            fn(n * c / t, n * (c + 1) / t, c);
        } catch (...) {
            errors[size_t(c)] = std::current_exception();
        }
    };
    for (int c = 1; c < t; ++c) pool.emplace_back(run, c);
    run(0);
    for (auto& th : pool) th.join();
    for (auto& err : errors)
        if (err) std::rethrow_exception(err);
}

// Number of chunks parallel_chunks will use, for sizing per-chunk accumulators.
inline int parallel_chunk_count(int64_t n, int threads) {
    if (n <= 0) return 0;
    return std::max(1, std::min<int>(threads, int(std::min<int64_t>(n, 256))));
}

}  // namespace scpt
