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
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(t);
    for (int c = 0; c < t; ++c) {
        int64_t b = n * c / t, e = n * (c + 1) / t;
        pool.emplace_back([&, b, e, c] {
            try {
                fn(b, e, c);
            } catch (...) {
                errors[c] = std::current_exception();
            }
        });
    }
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
