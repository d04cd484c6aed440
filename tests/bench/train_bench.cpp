// Speed of the learning code on real shared data.
//   PretrainEpoch   seconds per epoch of scPretrain pre-training on the corpus the PyTorch reference
//                   is measured on (soupx_pbmc4k_10x, kang_pbmc_ctrl_stim_unlabeled,
//                   cellbench_celseq2_5cl, garnett_zheng_sorted_pbmc; raw counts -> log1p, one
//                   shared vocabulary); compare with ../shared/peers/pretrain_ref.py at THREADS=1/2.
//   PretrainKmeans  the phase-1 pseudo-labels of that corpus (12 sparse K-means runs).
//   Finetune*       fit on 1000 labelled soupx_pbmc4k_10x cells (33694 genes) + label 10,000 cells
//                   (its 2170 cells repeated), per mode; compare with peers.py scpt0/scpt.
// Run: build/bin/scpt_bench --benchmark_filter='Pretrain|Finetune'
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <memory>

#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/data/vocabulary.hpp"
#include "core/train/finetune.hpp"
#include "core/train/mapped_matrix.hpp"
#include "core/train/pretrain.hpp"
#include "tools/native/input.hpp"

namespace {

using namespace scpt;
using Clock = std::chrono::steady_clock;

std::string data_dir() {
    const char* e = std::getenv("SCPT_DATA");
    return e && *e ? e : SCPT_SHARED_DATA_DEFAULT;
}

CellMatrix read_log1p(const std::string& name) {
    CellMatrix m = native::read_input(data_dir() + "/" + name);
    apply_transform(m, plan_transform(detect_value_kind(m), Transform::Log1p, {}, nullptr));
    return m;
}

struct Corpus {
    std::vector<std::string> names{"soupx_pbmc4k_10x", "kang_pbmc_ctrl_stim_unlabeled", "cellbench_celseq2_5cl",
                                   "garnett_zheng_sorted_pbmc"};
    std::vector<train::MappedMatrix> mapped;
    int64_t vocab = 0;
    std::vector<train::PretrainDataset> sets() const {
        std::vector<train::PretrainDataset> s;
        for (size_t i = 0; i < mapped.size(); ++i) s.push_back({names[i], mapped[i].csr()});
        return s;
    }
};

const Corpus* corpus() {
    static std::unique_ptr<Corpus> c = [] {
        auto c = std::make_unique<Corpus>();
        try {
            std::vector<CellMatrix> ms;
            for (auto& n : c->names) ms.push_back(read_log1p(n));
            std::vector<VocabularySource> src;
            for (size_t i = 0; i < ms.size(); ++i) src.push_back({c->names[i], &ms[i], Species::Unknown});
            Vocabulary v = build_vocabulary(src, nullptr, nullptr);
            c->vocab = int64_t(v.genes.size());
            for (size_t i = 0; i < ms.size(); ++i) c->mapped.push_back(train::map_columns(ms[i], v.matches[i].column_to_vocab, c->vocab));
        } catch (const std::exception&) {
            c.reset();
        }
        return c;
    }();
    return c.get();
}

void PretrainEpoch(benchmark::State& st) {
    const Corpus* c = corpus();
    if (!c) return st.SkipWithError("shared data not found");
    train::PretrainOptions o;
    o.max_epochs = 3;
    o.phases = 1;
    o.encoder_rows = st.range(1) ? nn::RowUpdate::All : nn::RowUpdate::Touched;
    RunControl rc;
    rc.threads = int(st.range(0));
    double kmeans = 0;
    for (auto _ : st) {
        auto r = train::pretrain(c->sets(), o, rc);
        double s = 0;
        for (auto& e : r.log) s += e.seconds;
        st.SetIterationTime(s / double(r.log.size()));
        kmeans = r.kmeans_seconds;
    }
    st.counters["vocab"] = double(c->vocab);
    st.counters["kmeans_s"] = kmeans;
}
// Args: threads, encoder rows (0 = touched only, 1 = all rows as PyTorch)
BENCHMARK(PretrainEpoch)->Args({1, 1})->Args({2, 1})->Args({1, 0})->Args({2, 0})
    ->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

struct FinetuneData {
    CellMatrix m;
    std::vector<int32_t> labels;  // 1000 labelled cells, -1 elsewhere
    int classes = 0;
    train::MappedMatrix query;    // 10,000 cells: the 2170 cells repeated
    EncoderWeights encoder;       // pre-trained briefly on the same cells
    std::vector<int32_t> rows;
};

const FinetuneData* finetune_data() {
    static std::unique_ptr<FinetuneData> d = []() -> std::unique_ptr<FinetuneData> {
        auto d = std::make_unique<FinetuneData>();
        try {
            d->m = read_log1p("soupx_pbmc4k_10x");
        } catch (const std::exception&) {
            return nullptr;
        }
        const ObsColumn* lab = d->m.find_obs("label");
        if (!lab) return nullptr;
        d->classes = int(lab->levels.size());
        d->labels.assign(size_t(d->m.n_cells), -1);
        Rng rng(1);
        std::vector<int64_t> order(size_t(d->m.n_cells));
        for (size_t i = 0; i < order.size(); ++i) order[i] = int64_t(i);
        rng.shuffle(order);
        for (int64_t i = 0, n = 0; i < d->m.n_cells && n < 1000; ++i)
            if (lab->codes[size_t(order[size_t(i)])] >= 0) {
                d->labels[size_t(order[size_t(i)])] = lab->codes[size_t(order[size_t(i)])];
                ++n;
            }
        auto& q = d->query;
        q.cols = d->m.n_genes;
        for (int64_t i = 0; i < 10000; ++i) {
            int64_t c = i % d->m.n_cells;
            for (int64_t k = d->m.indptr[size_t(c)]; k < d->m.indptr[size_t(c) + 1]; ++k) {
                q.indices.push_back(d->m.indices[size_t(k)]);
                q.values.push_back(d->m.values[size_t(k)]);
            }
            q.indptr.push_back(int64_t(q.values.size()));
        }
        q.rows = 10000;
        train::PretrainOptions po;
        po.max_epochs = 10;
        po.phases = 1;
        po.lr = 1e-3;
        d->encoder = train::pretrain({{"soupx", nn::CsrRef::of(d->m)}}, po).encoder;
        for (int64_t g = 0; g < d->m.n_genes; ++g) d->rows.push_back(int32_t(g));
        return d;
    }();
    return d.get();
}

void Finetune(benchmark::State& st) {
    const FinetuneData* d = finetune_data();
    if (!d) return st.SkipWithError("soupx_pbmc4k_10x not found");
    train::FinetuneOptions o;
    o.mode = train::FinetuneMode(st.range(0));
    RunControl rc;
    rc.threads = int(st.range(1));
    train::EncoderInit init{&d->encoder, d->rows};
    double fit = 0, predict = 0, epochs = 0;
    for (auto _ : st) {
        auto t0 = Clock::now();
        auto r = train::finetune(nn::CsrRef::of(d->m), d->labels, d->classes, init, o, rc);
        auto t1 = Clock::now();
        auto pred = r.classifier.predict(d->query.csr(), rc.threads);
        benchmark::DoNotOptimize(pred.data());
        auto t2 = Clock::now();
        fit = std::chrono::duration<double>(t1 - t0).count();
        predict = std::chrono::duration<double>(t2 - t1).count();
        epochs = double(r.log.size());
        st.SetIterationTime(fit + predict);
    }
    st.counters["fit_s"] = fit;
    st.counters["predict10k_s"] = predict;
    st.counters["epochs"] = epochs;
    st.counters["ms_per_epoch"] = 1000 * fit / epochs;
}
// Args: mode (0 Full, 1 Head, 2 Scratch), threads
BENCHMARK(Finetune)->ArgNames({"mode", "threads"})->Args({1, 1})->Args({0, 1})->Args({2, 1})->Args({0, 2})
    ->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
