#include "core/io/format.hpp"

#include "core/io/archive.hpp"
#include "core/io/cellblast_h5.hpp"
#include "core/io/gzip.hpp"
#include "core/io/h5ad.hpp"
#include "core/io/loom.hpp"
#include "core/io/read_failures.hpp"
#include "core/io/tenx_h5.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

const char* format_name(InputFormat f) {
    switch (f) {
        case InputFormat::MatrixMarket: return "matrix_market";
        case InputFormat::Delimited: return "delimited";
        case InputFormat::TenxFolder: return "10x_folder";
        case InputFormat::Hdf5: return "hdf5";
        case InputFormat::TenxH5: return "10x_h5";
        case InputFormat::H5ad: return "h5ad";
        case InputFormat::Loom: return "loom";
        case InputFormat::CellBlastH5: return "cell_blast_h5";
        default: return "unknown";
    }
}

bool is_hdf5(std::string_view head) {
    static const char kMagic[] = "\x89HDF\r\n\x1a\n";
    for (size_t off = 0; off + 8 <= head.size(); off = off ? off * 2 : 512)
        if (head.substr(off, 8) == std::string_view(kMagic, 8)) return true;
    return false;
}

InputFormat sniff_format(std::string_view head, const std::string& name) {
    std::string store;
    if (is_gzip(head)) {
        store = gunzip_prefix(head, 1 << 16);
        head = store;
    }
    if (is_hdf5(head)) return InputFormat::Hdf5;
    std::string_view t = head;
    while (!t.empty() && (t[0] == ' ' || t[0] == '\n' || t[0] == '\r' || t[0] == '\t')) t.remove_prefix(1);
    if (iequals(t.substr(0, 14), "%%MatrixMarket")) return InputFormat::MatrixMarket;
    std::string low = to_lower(name);
    if (ends_with(low, ".h5") || ends_with(low, ".h5ad") || ends_with(low, ".loom") || ends_with(low, ".hdf5"))
        return InputFormat::Unknown;  // named like HDF5 but without the signature
    size_t nl = t.find('\n');
    std::string_view first = t.substr(0, nl);
    // Text must be text: no NUL bytes in what we saw.
    if (t.find('\0') != std::string_view::npos) return InputFormat::Unknown;
    if (first.find('\t') != std::string_view::npos || first.find(',') != std::string_view::npos ||
        first.find(';') != std::string_view::npos)
        return InputFormat::Delimited;
    return InputFormat::Unknown;
}

std::string unreadable_reason(const std::string& name) {
    std::string low = to_lower(name);
    if (ends_with(low, ".h5") || ends_with(low, ".h5ad") || ends_with(low, ".loom") || ends_with(low, ".hdf5"))
        return read_failure(ReadFailure::NotHdf5);
    if (ends_with(low, ".rds") || ends_with(low, ".rdata") || ends_with(low, ".rda") || ends_with(low, ".rdata.gz") ||
        ends_with(low, ".rds.gz") || ends_with(low, ".rda.gz"))
        return "is an R data file, which cannot be read: export the counts as a 10x folder, .h5ad or CSV";
    if (has_archive_name(name))
        return "is not a tar or zip archive (its first bytes are neither; damaged, cut short, or another kind of archive?)";
    return "is not a format scpt reads (10x folder, or a .tar.gz/.zip of one, or .h5, .h5ad, .loom, Matrix Market, CSV/TSV)";
}

InputFormat detect_h5_layout(const H5Source& f) {
    if (f.is_group("/matrix") && f.is_group("/matrix/features")) return InputFormat::TenxH5;
    if (h5_string_attribute(f, "/", "encoding-type") == "anndata") return InputFormat::H5ad;
    if (f.exists("/X") && f.is_group("/obs") && f.is_group("/var")) return InputFormat::H5ad;
    if (h5_is_dataset(f, "/matrix") && f.is_group("/row_attrs") && f.is_group("/col_attrs")) return InputFormat::Loom;
    if (f.exists("/exprs") && f.exists("/obs_names") && f.exists("/var_names")) return InputFormat::CellBlastH5;
    if (!tenx_h5_v2_genomes(f).empty()) return InputFormat::TenxH5;
    return InputFormat::Unknown;
}

CellMatrix read_h5(const H5Source& f, const ReadOptions& o, InputFormat* format) {
    InputFormat fmt = detect_h5_layout(f);
    if (format) *format = fmt;
    switch (fmt) {
        case InputFormat::TenxH5: return read_tenx_h5(f, o);
        case InputFormat::H5ad: return read_h5ad(f, o);
        case InputFormat::Loom: return read_loom(f, o);
        case InputFormat::CellBlastH5: return read_cellblast_h5(f, o);
        default: {
            std::string groups;
            for (const auto& c : f.children("/")) groups += (groups.empty() ? "" : ", ") + c;
            throw input_error(f.name(), "is an HDF5 file of unknown layout (top level: " + (groups.empty() ? "empty" : groups) +
                                            "); expected a 10x .h5, AnnData .h5ad, Loom or Cell BLAST file");
        }
    }
}

}  // namespace scpt::io
