#include "tools/native/spilled_dataset.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/util/error.hpp"
#include "tools/native/input.hpp"
#include "tools/native/tenx_file_stream.hpp"

namespace scpt::native {

std::string default_scratch_dir() {
    const char* t = std::getenv("TMPDIR");
    return t && *t ? std::string(t) : std::string("/tmp");
}

SpilledDataset::SpilledDataset(const std::string& path, const std::string& scratch_dir, const io::ReadOptions& ro,
                               int64_t chunk_cells)
    : path_(path), scratch_(scratch_dir) {
    std::string tmpl = scratch_dir + "/scpt-spill-XXXXXX";
    fd_ = ::mkstemp(tmpl.data());
    if (fd_ < 0) throw input_error(scratch_dir, std::string("cannot create a scratch file there: ") + std::strerror(errno));
    ::unlink(tmpl.c_str());  // gone with the process, whatever ends it
    auto keep_genes = [&](const CellMatrix& m) {
        genes_.n_genes = m.n_genes;
        genes_.gene_ids = m.gene_ids;
        genes_.gene_symbols = m.gene_symbols;
        genes_.indptr = {0};
    };
    TenxPaths tenx;
    if (find_tenx_files(path, &tenx)) {
        TenxStreamOptions so;
        so.read = ro;
        so.chunk_cells = chunk_cells;
        stream_tenx_files(
            tenx, so, [&](const CellMatrix& g, int64_t) { keep_genes(g); },
            [&](const CellMatrix& chunk, int64_t) { append(chunk); });
    } else {
        CellMatrix m = read_input(path, ro);
        keep_genes(m);
        append(m);
    }
}

SpilledDataset::~SpilledDataset() {
    if (fd_ >= 0) ::close(fd_);
}

void SpilledDataset::append(const CellMatrix& c) {
    const int64_t nnz = c.indptr[size_t(c.n_cells)] - c.indptr[0];
    std::vector<char> buf(size_t(nnz) * 8);  // not kept: memory holds a chunk only while it is read
    char* p = buf.data();
    for (int64_t k = c.indptr[0]; k < c.indptr[size_t(c.n_cells)]; ++k, p += 8) {
        std::memcpy(p, &c.indices[size_t(k)], 4);
        std::memcpy(p + 4, &c.values[size_t(k)], 4);
    }
    const off_t at = off_t(offsets_.back()) * 8;
    size_t done = 0;
    while (done < buf.size()) {
        const ssize_t w = ::pwrite(fd_, buf.data() + done, buf.size() - done, at + off_t(done));
        if (w <= 0) throw input_error(scratch_, std::string("cannot write the scratch copy of ") + path_ + ": " + std::strerror(errno));
        done += size_t(w);
    }
    for (int64_t r = 0; r < c.n_cells; ++r)
        offsets_.push_back(offsets_.back() + c.indptr[size_t(r) + 1] - c.indptr[size_t(r)]);
}

CellMatrix SpilledDataset::read(int64_t first, int64_t count) {
    if (first < 0 || count < 1 || first + count > cells()) throw std::out_of_range("SpilledDataset::read: cells outside the dataset");
    const int64_t b = offsets_[size_t(first)], e = offsets_[size_t(first + count)];
    std::vector<char> buf(size_t(e - b) * 8);
    size_t done = 0;
    while (done < buf.size()) {
        const ssize_t r = ::pread(fd_, buf.data() + done, buf.size() - done, off_t(b) * 8 + off_t(done));
        if (r <= 0) throw input_error(scratch_, std::string("cannot read back the scratch copy of ") + path_ + ": " + std::strerror(errno));
        done += size_t(r);
    }
    CellMatrix c;
    c.n_cells = count;
    c.n_genes = genes_.n_genes;
    c.indptr.resize(size_t(count) + 1);
    for (int64_t i = 0; i <= count; ++i) c.indptr[size_t(i)] = offsets_[size_t(first + i)] - b;
    c.indices.resize(size_t(e - b));
    c.values.resize(size_t(e - b));
    const char* p = buf.data();
    for (int64_t k = 0; k < e - b; ++k, p += 8) {
        std::memcpy(&c.indices[size_t(k)], p, 4);
        std::memcpy(&c.values[size_t(k)], p + 4, 4);
    }
    return c;
}

}  // namespace scpt::native
