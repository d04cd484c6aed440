// Shared by the libFuzzer targets: small limits (the fuzzer's memory is 2 GB and every input must
// stay cheap), the input as bytes, and deterministic chunk splits driven by a seed byte so that
// incremental parsers see the same input cut at arbitrary places.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/limits.hpp"
#include "core/util/rng.hpp"

namespace scpt::fuzz {

inline Limits small_limits() {
    Limits l;
    l.max_cells = 100'000;
    l.max_genes = 100'000;
    l.max_nonzeros = 2'000'000;
    l.max_dense_values = 20'000'000;
    l.max_inflated_bytes = 64 << 20;
    l.max_line_bytes = 4 << 20;
    l.max_model_bytes = 64 << 20;
    return l;
}

inline std::string_view bytes_of(const uint8_t* data, size_t size) {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Chunk lengths (1..max_chunk) covering n bytes, from a seed.
inline std::vector<size_t> splits(size_t n, uint64_t seed, size_t max_chunk = 64) {
    Rng rng(seed);
    std::vector<size_t> out;
    for (size_t done = 0; done < n;) {
        size_t k = std::min(n - done, size_t(1 + rng.below(max_chunk)));
        out.push_back(k);
        done += k;
    }
    return out;
}

// A finding the sanitizers cannot see (two code paths disagree, an accepted matrix is invalid).
[[noreturn]] inline void fail(const std::string& what, const std::string& detail = "") {
    std::fprintf(stderr, "fuzz oracle failed: %s\n%s\n", what.c_str(), detail.c_str());
    std::abort();
}

}  // namespace scpt::fuzz
