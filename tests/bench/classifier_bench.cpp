// Labelling cells with a classifier shipped in the model (the no-label flow): the shipped
// models/default.scpt (q8) and its human_pbmc classifier on soupx_pbmc4k_10x (2,170 cells, 33,694
// genes, raw counts) held in memory: gene matching, transform, encoding, PCA projection, logistic
// regression. One thread. Run: build/bin/scpt_bench --benchmark_filter=Classifier
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "core/annotate/stored_classifier.hpp"
#include "core/model/model_file.hpp"
#include "tools/native/files.hpp"
#include "tools/native/input.hpp"

namespace {

using namespace scpt;

std::string data_dir() {
    const char* e = std::getenv("SCPT_DATA");
    return e && *e ? e : SCPT_SHARED_DATA_DEFAULT;
}

void BM_ClassifierPredictPbmc(benchmark::State& state) {
    Model model;
    CellMatrix q;
    try {
        model = read_model(native::read_file(std::string(SCPT_SOURCE_DIR) + "/models/default.scpt"));
        q = native::read_input(data_dir() + "/soupx_pbmc4k_10x");
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    for (auto _ : state) {
        auto p = annotate::predict_with_classifier(model, "human_pbmc", q);
        benchmark::DoNotOptimize(p.label.data());
    }
    state.counters["cells/s"] = benchmark::Counter(double(q.n_cells), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ClassifierPredictPbmc)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
