#include "core/io/read_failures.hpp"

#include <stdexcept>

namespace scpt::io {

std::string read_failure(ReadFailure kind, const std::string& detail) {
    switch (kind) {
        case ReadFailure::NotHdf5: return "is not an HDF5 file (its first bytes lack the HDF5 signature; damaged or cut short?)";
        case ReadFailure::Hdf5Unopenable: return "cannot be opened as HDF5 (damaged or cut short?)";
        case ReadFailure::GzipCut:
            return "is cut short: the gzip data ends before its end marker (the download or copy may be incomplete)";
        case ReadFailure::GzipCorrupt:
            return "is corrupt (gzip data error" + (detail.empty() ? std::string() : ": " + detail) + ")";
    }
    return "cannot be read";
}

std::string read_failure(const std::string& kind, const std::string& detail) {
    if (kind == "not-hdf5") return read_failure(ReadFailure::NotHdf5, detail);
    if (kind == "hdf5-unopenable") return read_failure(ReadFailure::Hdf5Unopenable, detail);
    if (kind == "gzip-cut") return read_failure(ReadFailure::GzipCut, detail);
    if (kind == "gzip-corrupt") return read_failure(ReadFailure::GzipCorrupt, detail);
    throw std::invalid_argument("read_failure: no failure named " + kind);
}

}  // namespace scpt::io
