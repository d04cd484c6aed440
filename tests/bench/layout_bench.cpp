// Speed of the 2D map: neighbour search and UMAP on blobs shaped like a cell embedding.
#include <benchmark/benchmark.h>

#include "core/layout/umap.hpp"
#include "core/util/rng.hpp"

namespace {

std::vector<float> points(int64_t n, int d) {
    scpt::Rng rng(5);
    std::vector<std::vector<float>> centre(12, std::vector<float>(static_cast<size_t>(d)));
    for (auto& c : centre)
        for (auto& v : c) v = float(3 * rng.normal());
    std::vector<float> x(size_t(n * d));
    for (int64_t i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) x[size_t(i * d + j)] = centre[size_t(i % 12)][size_t(j)] + float(rng.normal());
    return x;
}

void BM_Knn(benchmark::State& st) {
    const int64_t n = st.range(0);
    auto x = points(n, 20);
    scpt::KnnOptions o;
    o.exact_below = 0;
    for (auto _ : st) benchmark::DoNotOptimize(scpt::knn_graph(x.data(), n, 20, o));
    st.counters["cells/s"] = benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Knn)->Arg(20000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_Umap(benchmark::State& st) {
    const int64_t n = st.range(0);
    auto x = points(n, 20);
    scpt::UmapOptions o;
    for (auto _ : st) benchmark::DoNotOptimize(scpt::umap_layout(x.data(), n, 20, o));
    st.counters["cells/s"] = benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Umap)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
