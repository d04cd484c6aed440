#include "tools/native/input.hpp"

#include <fstream>
#include <unordered_map>
#include <vector>

#include "core/data/input_checks.hpp"
#include "core/io/delimited.hpp"
#include "core/io/folder_metadata.hpp"
#include "core/io/gzip.hpp"
#include "core/io/labels.hpp"
#include "core/io/mtx.hpp"
#include "core/io/table.hpp"
#include "core/io/tenx_folder.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "tools/native/archive_input.hpp"
#include "tools/native/files.hpp"
#include "tools/native/isolated_h5.hpp"

namespace scpt::native {

namespace {

std::string read_prefix(const std::string& path, size_t n) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path, "cannot be opened");
    std::string s(n, '\0');
    in.read(&s[0], std::streamsize(n));
    s.resize(size_t(in.gcount()));
    return s;
}

std::string dir_of(const std::string& path) {
    size_t s = path.find_last_of('/');
    return s == std::string::npos ? std::string(".") : path.substr(0, s);
}

void attach_folder_metadata(const std::string& dir, const ReadOptions& o, CellMatrix& m) {
    io::FolderMetadata f;
    std::string obs_bytes, labels_bytes;
    if (std::string obs = find_in(dir, "obs.tsv"); !obs.empty()) {
        obs_bytes = read_file(obs);
        f.has_obs = true;
        f.obs = obs_bytes;
        f.obs_name = obs;
    }
    if (std::string labels = find_in(dir, "labels.tsv"); !labels.empty()) {
        labels_bytes = read_file(labels);
        f.has_labels = true;
        f.labels = labels_bytes;
        f.labels_name = labels;
    }
    io::attach_folder_metadata(m, f, o.limits, &m.notes);
}

CellMatrix read_tenx_files(const std::string& mtx, const std::string& feats, const std::string& bcs, const ReadOptions& o) {
    std::string mb = read_file(mtx), fb = read_file(feats), bb = read_file(bcs);
    io::TenxFolderInput in{mb, fb, bb, mtx, feats, bcs};
    return io::read_tenx_folder(in, o);
}

CellMatrix read_folder(const std::string& dir, const ReadOptions& o, io::InputFormat* fmt) {
    std::string mtx = find_in(dir, "matrix.mtx");
    if (mtx.empty())
        throw InputError("is a folder without matrix.mtx or matrix.mtx.gz: point at a 10x matrix folder or a file");
    std::string feats = find_in(dir, "features.tsv");
    if (feats.empty()) feats = find_in(dir, "genes.tsv");
    std::string bcs = find_in(dir, "barcodes.tsv");
    if (feats.empty() || bcs.empty())
        throw InputError("has " + base_name(mtx) + " but no " +
                         (feats.empty() ? std::string("features.tsv or genes.tsv") : std::string("barcodes.tsv")) +
                         " (plain or .gz): a 10x folder needs all three files");
    if (fmt) *fmt = io::InputFormat::TenxFolder;
    CellMatrix m = read_tenx_files(mtx, feats, bcs, o);
    attach_folder_metadata(dir, o, m);
    return m;
}

CellMatrix read_mtx_file(const std::string& path, const ReadOptions& o, io::InputFormat* fmt) {
    // Neighbours: same prefix as "matrix.mtx" in the file name (GEO style), then plain names.
    std::string dir = dir_of(path), base = base_name(path);
    size_t at = base.find("matrix.mtx");
    std::string prefix = at == std::string::npos ? "" : base.substr(0, at);
    std::string feats, bcs;
    for (const std::string& p : {prefix, std::string()}) {
        if (feats.empty()) feats = find_in(dir, p + "features.tsv");
        if (feats.empty()) feats = find_in(dir, p + "genes.tsv");
        if (bcs.empty()) bcs = find_in(dir, p + "barcodes.tsv");
        if (!feats.empty() && !bcs.empty()) break;
    }
    if (!feats.empty() && !bcs.empty()) {
        if (fmt) *fmt = io::InputFormat::TenxFolder;
        CellMatrix m = read_tenx_files(path, feats, bcs, o);
        attach_folder_metadata(dir, o, m);
        return m;
    }
    if (fmt) *fmt = io::InputFormat::MatrixMarket;
    io::MtxMatrixOptions mo;
    mo.genes_are_rows = o.orientation != io::Orientation::CellsAreRows;
    return io::read_lone_mtx(read_file(path), path, mo, o.limits, o.control);
}

CellMatrix read_any(const std::string& path, const ReadOptions& o, io::InputFormat* fmt) {
    if (!exists(path)) throw InputError("does not exist");
    if (is_directory(path)) return read_folder(path, o, fmt);
    std::string head = read_prefix(path, 1 << 16);
    if (head.empty()) throw InputError("is empty");
    if (is_archive(head)) {  // a .tar[.gz] or .zip of a 10x folder
        if (fmt) *fmt = io::InputFormat::TenxFolder;
        return read_tenx_archive(path, o);
    }
    io::InputFormat f = io::sniff_format(head, path);
    switch (f) {
        case io::InputFormat::Hdf5: {
            IsolatedH5Options isolation;  // libhdf5 in a child process: a crafted file cannot crash or hang scpt
            isolation.cancel = o.control ? o.control->cancel : nullptr;
            auto h5 = open_isolated_h5(path, isolation);
            return io::read_h5(*h5, o, fmt);
        }
        case io::InputFormat::MatrixMarket: return read_mtx_file(path, o, fmt);
        case io::InputFormat::Delimited:
            if (fmt) *fmt = f;
            return io::read_delimited(read_file(path), path, o);
        default: throw InputError(io::unreadable_reason(path));
    }
}

}  // namespace

CellMatrix read_input(const std::string& path, const ReadOptions& o, io::InputFormat* fmt) {
    try {
        CellMatrix m = read_any(path, o, fmt);
        check_input_matrix(m, path);
        return m;
    } catch (const Cancelled&) {
        throw;
    } catch (const InputError& e) {
        std::string msg = e.what();
        if (starts_with(msg, path)) throw;
        throw input_error(path, msg);
    }
}

}  // namespace scpt::native
