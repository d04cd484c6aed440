// Reader throughput on real data: Matrix Market parsing (plain text in memory, and straight from
// gzip), gzip inflate alone, CSV parsing. Bytes are the DECOMPRESSED text, so MB/s compare.
// Run: build/bin/scpt_bench --benchmark_filter=Read
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/data/value_kind.hpp"
#include "core/io/delimited.hpp"
#include "core/io/gzip.hpp"
#include "core/io/mtx.hpp"

namespace {

std::string data_dir() {
    const char* e = std::getenv("SCPT_DATA");
    return e && *e ? e : SCPT_SHARED_DATA_DEFAULT;
}

std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const std::string& pbmc_gz() {
    static std::string s = slurp(data_dir() + "/soupx_pbmc4k_10x/matrix.mtx.gz");
    return s;
}
const std::string& pbmc_text() {
    static std::string s = scpt::io::gunzip(pbmc_gz(), "m", int64_t(1) << 32);
    return s;
}

void ReadMtxText(benchmark::State& st) {
    const std::string& t = pbmc_text();
    if (t.empty()) return st.SkipWithError("soupx_pbmc4k_10x not found");
    for (auto _ : st) {
        scpt::CellMatrix m = scpt::io::read_mtx(t, "m");
        benchmark::DoNotOptimize(m.values.data());
    }
    st.SetBytesProcessed(int64_t(st.iterations()) * int64_t(t.size()));
}
BENCHMARK(ReadMtxText)->Unit(benchmark::kMillisecond);

void ReadMtxGzip(benchmark::State& st) {
    const std::string& gz = pbmc_gz();
    if (gz.empty()) return st.SkipWithError("soupx_pbmc4k_10x not found");
    for (auto _ : st) {
        scpt::CellMatrix m = scpt::io::read_mtx(gz, "m");
        benchmark::DoNotOptimize(m.values.data());
    }
    st.SetBytesProcessed(int64_t(st.iterations()) * int64_t(pbmc_text().size()));
}
BENCHMARK(ReadMtxGzip)->Unit(benchmark::kMillisecond);

void ReadGunzip(benchmark::State& st) {
    const std::string& gz = pbmc_gz();
    if (gz.empty()) return st.SkipWithError("soupx_pbmc4k_10x not found");
    for (auto _ : st) {
        scpt::io::GzipInflater inf("m", INT64_MAX);
        size_t n = 0;
        inf.feed(gz, [&](std::string_view s) { n += s.size(); });
        inf.finish();
        benchmark::DoNotOptimize(n);
    }
    st.SetBytesProcessed(int64_t(st.iterations()) * int64_t(pbmc_text().size()));
}
BENCHMARK(ReadGunzip)->Unit(benchmark::kMillisecond);

// The same cells as a dense CSV (genes in rows, as R writes it): the other common text form.
void ReadCsvDense(benchmark::State& st) {
    const std::string& t = pbmc_text();
    if (t.empty()) return st.SkipWithError("soupx_pbmc4k_10x not found");
    static std::string csv = [] {
        scpt::CellMatrix m = scpt::io::read_mtx(pbmc_text(), "m");
        int64_t cells = std::min<int64_t>(m.n_cells, 500), genes = m.n_genes;
        std::vector<float> dense(size_t(cells * genes), 0.f);
        for (int64_t c = 0; c < cells; ++c)
            for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k)
                dense[size_t(m.indices[size_t(k)] * cells + c)] = m.values[size_t(k)];
        std::string s = "gene";
        for (int64_t c = 0; c < cells; ++c) s += ",cell" + std::to_string(c);
        s += "\n";
        char buf[32];
        for (int64_t g = 0; g < genes; ++g) {
            s += "G" + std::to_string(g);
            for (int64_t c = 0; c < cells; ++c) {
                std::snprintf(buf, sizeof buf, ",%g", double(dense[size_t(g * cells + c)]));
                s += buf;
            }
            s += "\n";
        }
        return s;
    }();
    scpt::io::ReadOptions o;
    o.orientation = scpt::io::Orientation::GenesAreRows;
    for (auto _ : st) {
        scpt::CellMatrix m = scpt::io::read_delimited(csv, "m.csv", o);
        benchmark::DoNotOptimize(m.values.data());
    }
    st.SetBytesProcessed(int64_t(st.iterations()) * int64_t(csv.size()));
}
BENCHMARK(ReadCsvDense)->Unit(benchmark::kMillisecond);

void ReadValueKind(benchmark::State& st) {
    const std::string& t = pbmc_text();
    if (t.empty()) return st.SkipWithError("soupx_pbmc4k_10x not found");
    scpt::CellMatrix m = scpt::io::read_mtx(t, "m");
    for (auto _ : st) benchmark::DoNotOptimize(scpt::detect_value_kind(m).kind);
    st.SetItemsProcessed(int64_t(st.iterations()) * m.nnz());
}
BENCHMARK(ReadValueKind)->Unit(benchmark::kMillisecond);

}  // namespace
