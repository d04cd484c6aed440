// Bob Jenkins' lookup3 hash (hashlittle), the checksum HDF5 puts on its version 2 superblock and
// object headers (libhdf5's H5_checksum_lookup3). Byte-wise, so the result does not depend on the
// machine's endianness or alignment.
#pragma once
#include <cstddef>
#include <cstdint>

namespace scpt {

uint32_t lookup3(const void* data, size_t size, uint32_t initval = 0);

}  // namespace scpt
