// Constants of the model file format shared by its writer and reader (models/FORMAT.md).
#pragma once
#include <cstddef>
#include <cstdint>

namespace scpt::model_format {

inline constexpr char kMagic[8] = {'\x89', 'S', 'C', 'P', 'T', '\r', '\n', '\x1a'};
inline constexpr uint32_t kHeaderSize = 64;
inline constexpr uint32_t kFlagZstd = 1;  // header flags bit 0: the payload is one zstd frame

// Metadata value types (section 3).
enum MetaType : uint32_t { kU64 = 1, kI64 = 2, kF64 = 3, kStr = 4, kStrArray = 5, kF32Array = 6 };

// Reader limits that are not in Limits (section 5).
inline constexpr uint64_t kMaxEntries = 65536;  // metadata entries, tensors
inline constexpr int64_t kMaxHidden = 65536;
inline constexpr uint64_t kMaxClassifiers = 1024;
inline constexpr uint64_t kMaxListEntries = 1'000'000;  // datasets, calibration values
inline constexpr size_t kMaxName = 256;                 // keys and tensor names

inline uint64_t round_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

}  // namespace scpt::model_format
