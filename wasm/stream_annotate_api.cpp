#include "wasm/stream_annotate_api.hpp"

#include <emscripten/bind.h>

#include <cstdio>
#include <optional>

#include "core/annotate/annotate.hpp"
#include "core/annotate/fit_description.hpp"
#include "core/io/tenx_stream.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/model_api.hpp"

namespace scpt::wasm {

using emscripten::val;

namespace {
std::string name_or(const val& v, const char* key, const char* fallback) {
    if (v.isUndefined() || v.isNull() || !v[key].isString()) return fallback;
    return v[key].as<std::string>();
}
double number_or(const val& v, const char* key, double fallback) {
    if (v.isUndefined() || v.isNull() || !v[key].isNumber()) return fallback;
    return v[key].as<double>();
}
}  // namespace

struct StreamAnnotator::Impl {
    RunControl rc, quiet;
    std::optional<annotate::Annotator> ann;
    std::optional<annotate::Annotator::QueryPlan> plan;
    std::unique_ptr<io::TenxCellStream> stream;
    CellMatrix chunk;  // the cells not labelled yet
    int64_t chunk_cells = 4096, first = 0, total = 0;
    bool keep_embedding = false;
    int dims = 0;
    std::vector<int32_t> labels;
    std::vector<float> confidence, embedding;
    std::vector<annotate::Predictions> parts;  // per chunk
    std::string scratch, matrix_name, query_name;

    void flush() {
        if (chunk.n_cells == 0) return;
        if (!plan) plan = ann->plan_query(chunk, query_name);
        annotate::Predictions p = ann->predict(chunk, nullptr, *plan, quiet);
        confidence.insert(confidence.end(), p.confidence.begin(), p.confidence.end());
        if (keep_embedding) {
            dims = int(p.embedding.cols());
            for (int64_t i = 0; i < p.embedding.rows(); ++i)
                for (int64_t j = 0; j < p.embedding.cols(); ++j) embedding.push_back(p.embedding(i, j));
        }
        // What the query-typicality rule re-decides over the whole query at finish (not the
        // probabilities nor the embedding: those are not needed again).
        p.probabilities.resize(0, 0);
        p.embedding.resize(0, 0);
        parts.push_back(std::move(p));
        first += chunk.n_cells;
        chunk.n_cells = 0;
        chunk.indptr.assign(1, 0);
        chunk.indices.clear();
        chunk.values.clear();
        char buf[96];
        std::snprintf(buf, sizeof buf, "%lld of %lld cells", (long long)first, (long long)total);
        rc.report({"predict", total > 0 ? double(first) / double(total) : 1.0, buf, double(first)});
    }
};

StreamAnnotator::StreamAnnotator(Session& s, const std::string& reference, const std::string& label_column,
                                 const LoadedModel* model, const ByteBuffer& features, const ByteBuffer& barcodes,
                                 val names, val options)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.rc = s.begin(options.isUndefined() || options.isNull() ? val::undefined() : options["onProgress"]);
    m.quiet = m.rc;
    m.quiet.progress = nullptr;
    m.chunk_cells = std::max<int64_t>(1, int64_t(number_or(options, "chunkCells", 4096)));
    m.keep_embedding = !options.isUndefined() && !options.isNull() && options["keepEmbedding"].isTrue();
    m.matrix_name = name_or(names, "matrix", "matrix.mtx");
    m.query_name = name_or(names, "query", "the query");

    const CellMatrix& ref = s.matrix(reference);
    const ObsColumn* col = ref.find_obs(label_column);
    if (!col) throw InputError(reference + " has no column \"" + label_column + "\" of cell types");
    std::vector<std::string> labels(size_t(ref.n_cells));
    for (int64_t i = 0; i < ref.n_cells; ++i) labels[size_t(i)] = col->text(i);

    io::TenxFolderInput in;
    in.features = features.bytes();
    in.barcodes = barcodes.bytes();
    in.matrix_name = m.matrix_name;
    in.features_name = name_or(names, "features", "features.tsv");
    in.barcodes_name = name_or(names, "barcodes", "barcodes.tsv");
    m.chunk.indptr.assign(1, 0);
    m.stream = std::make_unique<io::TenxCellStream>(
        in, io::ReadOptions{}, [&m](int64_t cell, const int32_t* genes, const float* values, size_t n) {
            if (cell != m.first + m.chunk.n_cells) throw InputError(m.matrix_name + ": cells arrived out of order");
            m.chunk.indices.insert(m.chunk.indices.end(), genes, genes + n);
            m.chunk.values.insert(m.chunk.values.end(), values, values + n);
            m.chunk.indptr.push_back(int64_t(m.chunk.indices.size()));
            ++m.chunk.n_cells;
            if (m.chunk.n_cells >= m.chunk_cells) m.flush();
        });
    m.total = int64_t(m.stream->barcodes().size());
    m.chunk.gene_ids = m.stream->gene_ids();
    m.chunk.gene_symbols = m.stream->gene_symbols();
    m.chunk.n_genes = int64_t(m.chunk.gene_ids.size());

    annotate::AnnotateOptions o;
    o.seed = uint64_t(number_or(options, "seed", 0));
    o.keep_embedding = m.keep_embedding;
    o.reference_name = reference;
    o.query_name = m.query_name;
    o.model_name = model ? "the model" : "";
    CellMatrix genes;  // the query's genes only: they choose the shared genes
    genes.n_genes = m.chunk.n_genes;
    genes.indptr.assign(1, 0);
    genes.gene_ids = m.chunk.gene_ids;
    genes.gene_symbols = m.chunk.gene_symbols;
    m.ann.emplace(annotate::Annotator::fit(ref, labels, &genes, model ? &model->model() : nullptr, o, m.rc));
    m.labels.reserve(size_t(m.total));
    m.confidence.reserve(size_t(m.total));
}

StreamAnnotator::~StreamAnnotator() = default;

void StreamAnnotator::feed(val bytes) {
    Impl& m = *impl_;
    m.rc.check_cancel();
    const size_t n = js_length(bytes);
    m.scratch.resize(n);
    if (n) val(emscripten::typed_memory_view(n, reinterpret_cast<uint8_t*>(&m.scratch[0]))).call<void>("set", bytes);
    m.stream->feed(m.scratch);
}

val StreamAnnotator::finish() {
    Impl& m = *impl_;
    m.stream->finish();
    m.flush();
    std::string().swap(m.scratch);
    if (m.first == 0) throw InputError(m.matrix_name + " has no cells");
    std::vector<annotate::Predictions*> all;
    for (auto& p : m.parts) all.push_back(&p);
    m.ann->calibrate_on_query(all);  // as `scpt annotate` on a streamed query
    m.labels.clear();
    for (const auto& p : m.parts) m.labels.insert(m.labels.end(), p.label.begin(), p.label.end());
    m.parts.clear();
    const annotate::FitSummary& f = m.ann->summary();
    val r = val::object();
    r.set("cells", double(m.first));
    val classes = val::array(), counts = val::array();
    std::vector<double> c(f.classes.size() + 1, 0.0);
    for (int32_t l : m.labels) c[l < 0 ? f.classes.size() : size_t(l)] += 1;
    for (size_t i = 0; i < f.classes.size(); ++i) classes.call<void>("push", f.classes[i]);
    for (double x : c) counts.call<void>("push", x);
    r.set("classes", classes);
    r.set("counts", counts);
    r.set("genes", m.plan ? m.plan->genes.summary : std::string());
    r.set("transform", m.plan ? m.plan->transform.description() : std::string());
    val w = val::array();
    for (const auto& s : f.warnings) w.call<void>("push", s);
    if (m.plan)
        for (const auto& s : m.plan->warnings) w.call<void>("push", s);
    r.set("warnings", w);
    val fit = val::object();
    fit.set("description", annotate::describe_fit(f));
    fit.set("epochs", double(f.log.size()));
    fit.set("trainCells", double(f.train_cells));
    fit.set("valCells", double(f.val_cells));
    r.set("fit", fit);
    return r;
}

val StreamAnnotator::labels() const { return copy_of(impl_->labels); }
val StreamAnnotator::confidence() const { return copy_of(impl_->confidence); }
val StreamAnnotator::embedding() const { return copy_of(impl_->embedding); }
int StreamAnnotator::embedding_dims() const { return impl_->dims; }

}  // namespace scpt::wasm

namespace {
using namespace emscripten;
using scpt::wasm::guarded;
using scpt::wasm::StreamAnnotator;

EMSCRIPTEN_BINDINGS(scpt_stream_annotate) {
    class_<StreamAnnotator>("StreamAnnotate")
        .function("feed", optional_override([](StreamAnnotator& a, val b) { guarded([&] { a.feed(b); }); }))
        .function("finish", optional_override([](StreamAnnotator& a) { return guarded([&] { return a.finish(); }); }))
        .function("labels", optional_override([](const StreamAnnotator& a) { return guarded([&] { return a.labels(); }); }))
        .function("confidence",
                  optional_override([](const StreamAnnotator& a) { return guarded([&] { return a.confidence(); }); }))
        .function("embedding",
                  optional_override([](const StreamAnnotator& a) { return guarded([&] { return a.embedding(); }); }))
        .function("embeddingDims", &StreamAnnotator::embedding_dims);
    // A factory, so that a bad reference, labels or features file is a JS Error, not a half-made object.
    function("openStreamAnnotate",
             optional_override([](scpt::wasm::Session& s, std::string reference, std::string column, val model,
                                  const scpt::wasm::ByteBuffer& f, const scpt::wasm::ByteBuffer& b, val names, val options) {
                 return guarded([&] {
                     const scpt::wasm::LoadedModel* m =
                         model.isNull() || model.isUndefined() ? nullptr : model.as<scpt::wasm::LoadedModel*>(allow_raw_pointers());
                     return new StreamAnnotator(s, reference, column, m, f, b, names, options);
                 });
             }),
             allow_raw_pointers());
}
}  // namespace
