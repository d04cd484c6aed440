// core's encoder with a real model on real cells, step for step as the WebAssembly module's
// encodeCells runs it (wasm/model_api.cpp: gene match, the model's transform on a copy, encode),
// so tools/bench-wasm.mjs --model gives the same figure for the module: wasm vs native on the
// same data, model and code.
//   SCPT_BENCH_MODEL=model.scpt build/bin/scpt_bench --benchmark_filter=EncodeModel
// Data: soupx_pbmc4k_10x (2,170 PBMCs, 33,694 genes); SCPT_DATA overrides ../shared/data.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "core/data/gene_match.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/model/encode.hpp"
#include "core/model/model_file.hpp"
#include "tools/native/files.hpp"
#include "tools/native/input.hpp"

namespace scpt {
namespace {

struct ModelFixture {
    CellMatrix cells;
    std::unique_ptr<Model> model;
    std::string error;
    ModelFixture() {
        const char* mp = std::getenv("SCPT_BENCH_MODEL");
        if (!mp || !*mp) {
            error = "set SCPT_BENCH_MODEL to a model file";
            return;
        }
        const char* env = std::getenv("SCPT_DATA");
        const std::string dir = env && *env ? env : SCPT_SHARED_DATA_DEFAULT;
        try {
            cells = native::read_input(dir + "/soupx_pbmc4k_10x");
            model = std::make_unique<Model>(read_model(native::read_file(mp), Limits{}, mp));
        } catch (const std::exception& e) {
            error = e.what();
        }
    }
};

void BM_EncodeModel(benchmark::State& st) {
    static const ModelFixture f;
    if (!f.error.empty()) return st.SkipWithError(f.error.c_str());
    RunControl rc;
    rc.threads = int(st.range(0));
    int64_t matched = 0;
    for (auto _ : st) {
        GeneMatchOptions go;
        GeneMatch gm = match_genes(f.cells, f.model->info.genes, go);
        CellMatrix x;
        x.n_cells = f.cells.n_cells;
        x.n_genes = f.cells.n_genes;
        x.indptr = f.cells.indptr;
        x.indices = f.cells.indices;
        x.values = f.cells.values;
        CellTransform t = plan_transform(detect_value_kind(f.cells), f.model->info.transform, {}, nullptr);
        apply_transform(x, t, &rc);
        RowMatrix h = encode(x, gm.column_to_vocab, f.model->encoder, EncodeOptions{}, rc);
        benchmark::DoNotOptimize(h.data());
        matched = gm.matched;
    }
    st.counters["cells/s"] = benchmark::Counter(double(f.cells.n_cells) * double(st.iterations()), benchmark::Counter::kIsRate);
    st.counters["matched"] = double(matched);
}
BENCHMARK(BM_EncodeModel)->Arg(1)->Arg(2)->ArgNames({"threads"})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace scpt
