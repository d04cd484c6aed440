// Encoder kernel throughput on real 10x cells (soupx_pbmc4k_10x: 2,170 PBMCs, 33,694 genes, ~1,300
// stored values per cell), a 20,000-gene vocabulary (the most often detected genes, in a random row
// order as a real vocabulary would be) and 200 hidden units, for every weight type and 1-2 threads.
// Reported as cells/s and GFLOP/s (2 * mapped stored values * hidden), next to what binds the kernel
// on this machine: memory bandwidth (a STREAM-like triad) and the FMA peak of one core.
//
// Run: build/bin/scpt_bench --benchmark_filter=Encode  (SCPT_DATA overrides ../shared/data)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "core/model/encode.hpp"
#include "core/model/quantize.hpp"
#include "tests/core/model/model_test_util.hpp"

namespace scpt {
namespace {

constexpr int64_t kVocabulary = 20000, kHidden = 200;

struct Fixture {
    CellMatrix cells;
    std::vector<int32_t> map;
    int64_t mapped_nnz = 0;
    EncoderWeights w[4];  // indexed by DType
    bool ok = false;

    Fixture() {
        const char* env = std::getenv("SCPT_DATA");
        const std::string dir = env && *env ? env : SCPT_SHARED_DATA_DEFAULT;
        try {
            cells = test::read_log1p_mtx(dir + "/soupx_pbmc4k_10x/matrix.mtx.gz");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "encode_bench: %s\n", e.what());
            return;
        }
        std::vector<int64_t> detected(size_t(cells.n_genes), 0);
        for (int32_t g : cells.indices) ++detected[size_t(g)];
        std::vector<int32_t> order(size_t(cells.n_genes));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return detected[size_t(a)] > detected[size_t(b)]; });
        std::vector<int32_t> rows(static_cast<size_t>(kVocabulary));
        std::iota(rows.begin(), rows.end(), 0);
        Rng rng(7);
        rng.shuffle(rows);
        map.assign(size_t(cells.n_genes), -1);
        for (int64_t i = 0; i < kVocabulary && i < cells.n_genes; ++i) map[size_t(order[size_t(i)])] = rows[size_t(i)];
        for (int32_t g : cells.indices) mapped_nnz += map[size_t(g)] >= 0;
        w[0] = test::random_encoder(kVocabulary, kHidden, 1);
        for (DType t : {DType::F16, DType::Q8, DType::Q4}) w[int(t)] = quantize(w[0], t);
        ok = true;
    }
};

const Fixture& fixture() {
    static const Fixture f;
    return f;
}

void BM_Encode(benchmark::State& state) {
    const Fixture& f = fixture();
    if (!f.ok) {
        state.SkipWithError("shared data not found (set SCPT_DATA)");
        return;
    }
    const EncoderWeights& w = f.w[state.range(0)];
    RunControl rc;
    rc.threads = int(state.range(1));
    for (auto _ : state) {
        RowMatrix h = encode(f.cells, f.map, w, {}, rc);
        benchmark::DoNotOptimize(h.data());
    }
    const double iters = double(state.iterations());
    state.counters["cells/s"] = benchmark::Counter(double(f.cells.n_cells) * iters, benchmark::Counter::kIsRate);
    state.counters["GFLOP/s"] =
        benchmark::Counter(2.0 * double(f.mapped_nnz) * kHidden * iters * 1e-9, benchmark::Counter::kIsRate);
    state.counters["weight_MB"] = double(w.weight_bytes()) / 1e6;
    state.SetLabel(dtype_name(w.dtype));
}
BENCHMARK(BM_Encode)
    ->ArgsProduct({{0, 1, 2, 3}, {1, 2}})
    ->ArgNames({"dtype", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// a[i] = b[i] + s * c[i] over three arrays far larger than the caches: 12 bytes moved per element
// (STREAM counts reads and writes, not the write-allocate read).
void BM_MemoryTriad(benchmark::State& state) {
    const size_t n = size_t(state.range(0)) / sizeof(float);
    std::vector<float> a(n, 0.f), b(n, 1.f), c(n, 2.f);
    const float s = 3.f;
    for (auto _ : state) {
        float* __restrict pa = a.data();
        const float* __restrict pb = b.data();
        const float* __restrict pc = c.data();
        for (size_t i = 0; i < n; ++i) pa[i] = pb[i] + s * pc[i];
        benchmark::ClobberMemory();
    }
    state.counters["GB/s"] = benchmark::Counter(12.0 * double(n) * double(state.iterations()) * 1e-9,
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MemoryTriad)->Arg(64 << 20)->Arg(1 << 20)->ArgNames({"bytes"})->Unit(benchmark::kMillisecond);

// Independent multiply-adds on 16 accumulators of 16 floats: the compiler emits vector FMAs, and
// 256 independent lanes hide their latency, so this approaches one core's peak.
void BM_FmaPeak(benchmark::State& state) {
    alignas(64) float acc[256];
    for (int i = 0; i < 256; ++i) acc[i] = float(i) * 1e-3f;
    const float m = 0.999999f, a = 1e-7f;
    const int64_t reps = 100000;
    for (auto _ : state) {
        for (int64_t r = 0; r < reps; ++r)
            for (int i = 0; i < 256; ++i) acc[i] = acc[i] * m + a;
        benchmark::DoNotOptimize(acc);
    }
    state.counters["GFLOP/s"] =
        benchmark::Counter(2.0 * 256 * double(reps) * double(state.iterations()) * 1e-9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FmaPeak)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace scpt
