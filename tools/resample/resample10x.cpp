// scpt-resample: writes an N-cell 10x v3 folder (matrix.mtx[.gz] cells-sorted, features.tsv[.gz],
// barcodes.tsv[.gz], labels.tsv when the source has labels) made from real cells, for scale
// benchmarks (10k -> 1M cells) with the statistics of real data rather than random numbers.
//
// Output cell i copies source cell j = U[0, n) and thins each count c to Binomial(c, p), with p
// uniform in [keep_min, keep_max] per output cell (binomial thinning: what a shallower sequencing
// of the same molecule pool gives). Every draw of cell i comes from Rng(seed).split(i), so the
// output is a function of (source, N, seed, keep range) only, and the two passes (count the
// non-zeros for the header, then write) see the same numbers.
//
// Usage: scpt-resample SRC_FOLDER OUT_FOLDER --cells N [--seed S] [--keep-min 0.5] [--keep-max 1]
//        [--plain] [--level 1]
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "core/util/error.hpp"
#include "core/util/rng.hpp"
#include "tools/native/files.hpp"
#include "tools/native/input.hpp"

namespace {

struct Args {
    std::string src, out;
    int64_t cells = 0;
    uint64_t seed = 0;
    double keep_min = 0.5, keep_max = 1.0;
    bool plain = false;
    int level = 1;  // gzip level: 1 writes ~3x faster than 6 for ~15% more bytes
};

// One output cell: the source cell and the thinned counts of its non-zeros (0 = dropped).
struct Cell {
    int64_t src = 0;
    std::vector<int32_t> genes;
    std::vector<int32_t> counts;
};

void make_cell(const scpt::CellMatrix& m, const Args& a, int64_t i, Cell& c) {
    scpt::Rng rng = scpt::Rng(a.seed).split(uint64_t(i));
    c.src = int64_t(rng.below(uint64_t(m.n_cells)));
    const double p = a.keep_min + (a.keep_max - a.keep_min) * rng.uniform();
    // Bernoulli per molecule against a 64-bit threshold: exact Binomial(c, p), no floating point per draw.
    const uint64_t thr = p >= 1.0 ? UINT64_MAX : uint64_t(p * 18446744073709551616.0);
    c.genes.clear();
    c.counts.clear();
    for (int64_t k = m.indptr[size_t(c.src)]; k < m.indptr[size_t(c.src) + 1]; ++k) {
        const int64_t n = int64_t(m.values[size_t(k)]);
        int32_t kept = 0;
        for (int64_t u = 0; u < n; ++u) kept += rng.next_u64() < thr;
        if (kept > 0) {
            c.genes.push_back(m.indices[size_t(k)]);
            c.counts.push_back(kept);
        }
    }
}

class Out {
public:
    Out(const std::string& path, bool plain, int level) : path_(path), plain_(plain) {
        if (plain) {
            f_ = std::fopen(path.c_str(), "wb");
            if (!f_) throw scpt::InputError(path + ": cannot be written");
        } else {
            char mode[8];
            std::snprintf(mode, sizeof mode, "wb%d", level);
            gz_ = gzopen(path.c_str(), mode);
            if (!gz_) throw scpt::InputError(path + ": cannot be written");
            gzbuffer(gz_, 1 << 20);
        }
    }
    void write(const std::string& s) {
        if (s.empty()) return;
        const bool ok = plain_ ? std::fwrite(s.data(), 1, s.size(), f_) == s.size()
                               : gzwrite(gz_, s.data(), unsigned(s.size())) == int(s.size());
        if (!ok) throw scpt::InputError(path_ + ": write failed (disk full?)");
    }
    ~Out() {
        if (f_) std::fclose(f_);
        if (gz_) gzclose(gz_);
    }

private:
    std::string path_;
    bool plain_;
    std::FILE* f_ = nullptr;
    gzFile gz_ = nullptr;
};

std::map<std::string, std::string> read_labels(const std::string& dir) {
    std::map<std::string, std::string> out;
    const std::string p = scpt::native::join_path(dir, "labels.tsv");
    if (!scpt::native::exists(p)) return out;
    std::istringstream in(scpt::native::read_file(p));
    std::string line;
    while (std::getline(in, line)) {
        const size_t t = line.find('\t');
        if (t != std::string::npos) out[line.substr(0, t)] = line.substr(t + 1);
    }
    return out;
}

int run(const Args& a) {
    const scpt::CellMatrix m = scpt::native::read_input(a.src);
    if (m.n_cells == 0) throw scpt::InputError(a.src + ": no cells");
    for (float v : m.values)
        if (v < 0 || v != float(int64_t(v))) throw scpt::InputError(a.src + ": counts must be non-negative integers to thin");
    ::mkdir(a.out.c_str(), 0755);
    const std::string ext = a.plain ? "" : ".gz";
    auto path = [&](const char* name) { return scpt::native::join_path(a.out, std::string(name) + ext); };

    // Pass 1: non-zeros, for the MatrixMarket header.
    Cell c;
    int64_t nnz = 0;
    for (int64_t i = 0; i < a.cells; ++i) {
        make_cell(m, a, i, c);
        nnz += int64_t(c.genes.size());
    }
    {
        Out mtx(path("matrix.mtx"), a.plain, a.level);
        std::string buf = "%%MatrixMarket matrix coordinate integer general\n%metadata_json: {\"software_version\": "
                          "\"scpt-resample\", \"format_version\": 2}\n" +
                          std::to_string(m.n_genes) + " " + std::to_string(a.cells) + " " + std::to_string(nnz) + "\n";
        char line[48];
        for (int64_t i = 0; i < a.cells; ++i) {
            make_cell(m, a, i, c);
            for (size_t k = 0; k < c.genes.size(); ++k) {
                const int n = std::snprintf(line, sizeof line, "%d %lld %d\n", c.genes[k] + 1, (long long)(i + 1), c.counts[k]);
                buf.append(line, size_t(n));
            }
            if (buf.size() > (8u << 20)) mtx.write(buf), buf.clear();
        }
        mtx.write(buf);
    }
    const auto labels = read_labels(a.src);
    {
        Out bc(path("barcodes.tsv"), a.plain, a.level);
        std::string buf, lab;
        for (int64_t i = 0; i < a.cells; ++i) {
            scpt::Rng rng = scpt::Rng(a.seed).split(uint64_t(i));
            const int64_t src = int64_t(rng.below(uint64_t(m.n_cells)));
            const std::string& b = m.barcodes[size_t(src)];
            const std::string nb = b + "_r" + std::to_string(i + 1);
            buf += nb + "\n";
            const auto it = labels.find(b);
            if (it != labels.end()) lab += nb + "\t" + it->second + "\n";
            if (buf.size() > (4u << 20)) bc.write(buf), buf.clear();
        }
        bc.write(buf);
        if (!labels.empty()) scpt::native::write_file_atomic(scpt::native::join_path(a.out, "labels.tsv"), lab);
    }
    {
        Out f(path("features.tsv"), a.plain, a.level);
        std::string buf;
        for (int64_t g = 0; g < m.n_genes; ++g)
            buf += m.gene_ids[size_t(g)] + "\t" + m.gene_symbols[size_t(g)] + "\tGene Expression\n";
        f.write(buf);
    }
    std::fprintf(stderr, "%s: %lld cells, %lld genes, %lld non-zeros (%.1f per cell) from %lld source cells\n",
                 a.out.c_str(), (long long)a.cells, (long long)m.n_genes, (long long)nnz, double(nnz) / double(a.cells),
                 (long long)m.n_cells);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    std::vector<std::string> pos;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw scpt::InputError(s + " needs a value");
            return argv[++i];
        };
        if (s == "--cells") a.cells = std::atoll(next().c_str());
        else if (s == "--seed") a.seed = std::strtoull(next().c_str(), nullptr, 10);
        else if (s == "--keep-min") a.keep_min = std::atof(next().c_str());
        else if (s == "--keep-max") a.keep_max = std::atof(next().c_str());
        else if (s == "--level") a.level = std::atoi(next().c_str());
        else if (s == "--plain") a.plain = true;
        else pos.push_back(s);
    }
    try {
        if (pos.size() != 2 || a.cells <= 0 || !(a.keep_min > 0 && a.keep_min <= a.keep_max && a.keep_max <= 1))
            throw scpt::InputError(
                "usage: scpt-resample SRC_FOLDER OUT_FOLDER --cells N [--seed S] [--keep-min 0.5] [--keep-max 1] "
                "[--plain] [--level 1]");
        a.src = pos[0];
        a.out = pos[1];
        return run(a);
    } catch (const scpt::InputError& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
}
