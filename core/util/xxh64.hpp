// XXH64 (Yann Collet's xxHash, 64-bit, seed 0 by default): the checksum of model files. It is the
// hash zstd uses for its frame checksum, so every language has a library for it; this portable
// implementation keeps the core free of a dependency that the decoder-only wasm build lacks.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace scpt {

uint64_t xxh64(const void* data, size_t size, uint64_t seed = 0);
inline uint64_t xxh64(std::string_view bytes, uint64_t seed = 0) { return xxh64(bytes.data(), bytes.size(), seed); }

}  // namespace scpt
