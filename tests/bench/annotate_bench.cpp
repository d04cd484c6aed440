// The speed target for annotation: fine-tune on 1,000 labelled reference cells and label
// 10,000 query cells with ~20,000 genes, natively on ONE thread, in under 2 s (default mode).
//   Reference: 1,000 labelled cells of soupx_pbmc4k_10x (real counts and labels).
//   Query: 10,000 cells resampled from soupx_pbmc4k_10x with replacement, each count binomially
//          thinned (p = 0.8, a shallower sequencing of the same cells), over the genes detected in
//          the dataset (~20,000 of its 33,694).
//   Model: pre-trained on the same genes for a few epochs (speed does not depend on its quality),
//          quantized to q8 as the shipped model is.
// Times are of annotate() on matrices in memory (reading files is the readers' benchmark).
// SCPT_BENCH_FOLDERS=DIR also writes DIR/ref and DIR/query in the 10x folder form, so the peers
// can be timed on the same cells:  peers.py lr DIR/ref DIR/query OUT.tsv
// Run: build/bin/scpt_bench --benchmark_filter=Annotate
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "core/annotate/annotate.hpp"
#include "core/model/quantize.hpp"
#include "core/train/pretrain_corpus.hpp"
#include "core/util/rng.hpp"
#include "tools/native/input.hpp"

namespace {

using namespace scpt;
using Clock = std::chrono::steady_clock;

std::string data_dir() {
    const char* e = std::getenv("SCPT_DATA");
    return e && *e ? e : SCPT_SHARED_DATA_DEFAULT;
}

// Binomial(n, p) by n Bernoulli draws (counts here are small).
float thin(float count, double p, Rng& rng) {
    int64_t k = 0;
    for (int64_t i = 0; i < int64_t(count); ++i) k += rng.uniform() < p;
    return float(k);
}

void write_folder(const std::string& dir, const CellMatrix& m, const std::vector<std::string>* labels) {
    std::system(("mkdir -p '" + dir + "'").c_str());
    std::ofstream mtx(dir + "/matrix.mtx"), f(dir + "/features.tsv"), b(dir + "/barcodes.tsv");
    mtx << "%%MatrixMarket matrix coordinate integer general\n" << m.n_genes << " " << m.n_cells << " " << m.nnz() << "\n";
    for (int64_t c = 0; c < m.n_cells; ++c)
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k)
            mtx << m.indices[size_t(k)] + 1 << " " << c + 1 << " " << int64_t(m.values[size_t(k)]) << "\n";
    for (int64_t g = 0; g < m.n_genes; ++g) f << m.gene_ids[size_t(g)] << "\t" << m.gene_symbols[size_t(g)] << "\tGene Expression\n";
    for (const auto& x : m.barcodes) b << x << "\n";
    if (labels) {
        std::ofstream l(dir + "/labels.tsv");
        for (int64_t c = 0; c < m.n_cells; ++c) l << m.barcodes[size_t(c)] << "\t" << (*labels)[size_t(c)] << "\n";
    }
}

struct Setup {
    CellMatrix reference, query;
    std::vector<std::string> labels;  // per reference cell
    Model model;
};

const Setup* setup() {
    static std::unique_ptr<Setup> s = []() -> std::unique_ptr<Setup> {
        auto s = std::make_unique<Setup>();
        CellMatrix all;
        try {
            all = native::read_input(data_dir() + "/soupx_pbmc4k_10x");
        } catch (const std::exception&) {
            return nullptr;
        }
        // Genes detected in the dataset.
        std::vector<int32_t> keep(size_t(all.n_genes), -1);
        for (int32_t g : all.indices) keep[size_t(g)] = 0;
        CellMatrix genes_only;
        std::vector<std::string> ids, syms;
        for (int64_t g = 0; g < all.n_genes; ++g)
            if (keep[size_t(g)] == 0) {
                keep[size_t(g)] = int32_t(ids.size());
                ids.push_back(all.gene_ids[size_t(g)]);
                syms.push_back(all.gene_symbols[size_t(g)]);
            }
        auto build = [&](const std::vector<int64_t>& cells, double p, Rng* rng, const std::string& prefix) {
            CellMatrix m;
            m.n_genes = int64_t(ids.size());
            m.gene_ids = ids;
            m.gene_symbols = syms;
            m.indptr.push_back(0);
            for (size_t i = 0; i < cells.size(); ++i) {
                const int64_t c = cells[i];
                for (int64_t k = all.indptr[size_t(c)]; k < all.indptr[size_t(c) + 1]; ++k) {
                    const float v = rng ? thin(all.values[size_t(k)], p, *rng) : all.values[size_t(k)];
                    if (v == 0) continue;
                    m.indices.push_back(keep[size_t(all.indices[size_t(k)])]);
                    m.values.push_back(v);
                }
                m.indptr.push_back(int64_t(m.values.size()));
                m.barcodes.push_back(prefix + std::to_string(i) + "_" + all.barcodes[size_t(c)]);
            }
            m.n_cells = int64_t(cells.size());
            return m;
        };
        const ObsColumn* lab = all.find_obs("label");
        Rng rng(11);
        std::vector<int64_t> order(size_t(all.n_cells));
        for (size_t i = 0; i < order.size(); ++i) order[i] = int64_t(i);
        rng.shuffle(order);
        std::vector<int64_t> ref(order.begin(), order.begin() + 1000), qry;
        for (int64_t c : ref) s->labels.push_back(lab->text(c));
        for (int i = 0; i < 10000; ++i) qry.push_back(int64_t(rng.below(uint64_t(all.n_cells))));
        s->reference = build(ref, 1, nullptr, "r");
        s->query = build(qry, 0.8, &rng, "q");
        std::vector<train::CorpusDataset> corpus(1);
        corpus[0].name = "soupx";
        corpus[0].matrix = s->reference;
        train::CorpusOptions co;
        co.pretrain.max_epochs = 2;
        co.pretrain.phases = 1;
        s->model = train::pretrain_model(corpus, co).model;
        // Quantized as the shipped model is (models/MODEL.md: q8), so the encoder reads what users' does.
        s->model.encoder = quantize(s->model.encoder, DType::Q8);
        if (const char* dir = std::getenv("SCPT_BENCH_FOLDERS")) {
            write_folder(std::string(dir) + "/ref", s->reference, &s->labels);
            write_folder(std::string(dir) + "/query", s->query, nullptr);
        }
        return s;
    }();
    return s.get();
}

void Annotate(benchmark::State& st) {
    const Setup* s = setup();
    if (!s) return st.SkipWithError("soupx_pbmc4k_10x not found");
    annotate::AnnotateOptions o;
    o.mode = train::FinetuneMode(st.range(0));
    o.head_classifier = st.range(1) ? annotate::AnnotateOptions::HeadClassifier::Linear
                                    : annotate::AnnotateOptions::HeadClassifier::Mlp;
    if (!st.range(1)) o.reference_pcs = 0;
    o.reference_genes = int(st.range(3));
    RunControl rc;
    rc.threads = int(st.range(2));
    annotate::AnnotateInput in;
    in.reference = &s->reference;
    in.labels = s->labels;
    in.query = &s->query;
    in.model = o.mode == train::FinetuneMode::Scratch ? nullptr : &s->model;
    double fit = 0, predict = 0;
    int64_t unassigned = 0;
    for (auto _ : st) {
        const auto t0 = Clock::now();
        annotate::Annotator a = annotate::Annotator::fit(s->reference, s->labels, &s->query, in.model, o, rc);
        const auto t1 = Clock::now();
        annotate::Predictions p = a.predict(s->query, nullptr, "query", rc);
        const auto t2 = Clock::now();
        fit = std::chrono::duration<double>(t1 - t0).count();
        predict = std::chrono::duration<double>(t2 - t1).count();
        unassigned = std::count(p.label.begin(), p.label.end(), -1);
        st.SetIterationTime(fit + predict);
    }
    st.counters["fit_s"] = fit;
    st.counters["predict_s"] = predict;
    st.counters["genes"] = double(s->query.n_genes);
    st.counters["query_nnz"] = double(s->query.nnz());
    st.counters["unassigned"] = double(unassigned);
}
// Args: mode (0 Full, 1 Head, 2 Scratch), head classifier (1 linear + 50 PCs, 0 the paper's MLP), threads,
// marker genes of the linear head (500: the default; 0: encoder outputs and PCs only)
BENCHMARK(Annotate)->ArgNames({"mode", "linear", "threads", "genes"})->Args({1, 1, 1, 500})->Args({1, 1, 1, 0})
    ->Args({1, 0, 1, 0})->Args({0, 0, 1, 0})->Args({2, 0, 1, 0})->Args({1, 1, 2, 500})
    ->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
