#include "wasm/dev/stream_annotate_api.hpp"

#include <emscripten/bind.h>

#include <optional>

#include "core/annotate/annotate.hpp"
#include "core/annotate/fit_description.hpp"
#include "core/app/annotate_settings.hpp"
#include "core/app/streamed_annotation.hpp"
#include "core/io/tenx_stream.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/js_object.hpp"
#include "wasm/model_api.hpp"

namespace scpt::wasm {

using emscripten::val;

struct StreamAnnotator::Impl {
    RunControl rc;
    std::optional<app::StreamedAnnotation> ann;  // core's: fit once, label chunk by chunk
    std::unique_ptr<io::TenxCellStream> stream;
    CellMatrix chunk;  // the cells not labelled yet
    int64_t chunk_cells = 4096, first = 0;
    bool keep_embedding = false;
    int dims = 0;
    std::vector<int32_t> labels;
    std::vector<float> confidence, embedding;
    std::string scratch, matrix_name;

    void flush() {
        if (chunk.n_cells == 0) return;
        ann->add(chunk);
        first += chunk.n_cells;
        chunk.n_cells = 0;
        chunk.indptr.assign(1, 0);
        chunk.indices.clear();
        chunk.values.clear();
    }
};

StreamAnnotator::StreamAnnotator(Session& s, const std::string& reference, const std::string& label_column,
                                 const LoadedModel* model, const ByteBuffer& features, const ByteBuffer& barcodes,
                                 val names, val options)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.rc = s.begin(field(options, "onProgress"));
    m.chunk_cells = std::max<int64_t>(1, int64_t(number_or(options, "chunkCells", 4096)));
    m.keep_embedding = flag_or(options, "keepEmbedding", false);
    m.matrix_name = text_or(names, "matrix", "matrix.mtx");

    const CellMatrix& ref = s.matrix(reference);
    const ObsColumn* col = ref.find_obs(label_column);
    if (!col) throw InputError(reference + " has no column \"" + label_column + "\" of cell types");
    std::vector<std::string> labels(size_t(ref.n_cells));
    for (int64_t i = 0; i < ref.n_cells; ++i) labels[size_t(i)] = col->text(i);

    io::TenxFolderInput in;
    in.features = features.bytes();
    in.barcodes = barcodes.bytes();
    in.matrix_name = m.matrix_name;
    in.features_name = text_or(names, "features", "features.tsv");
    in.barcodes_name = text_or(names, "barcodes", "barcodes.tsv");
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
    m.chunk.gene_ids = m.stream->gene_ids();
    m.chunk.gene_symbols = m.stream->gene_symbols();
    m.chunk.n_genes = int64_t(m.chunk.gene_ids.size());

    // The settings of `scpt annotate` (core/app/annotate_settings.hpp), as the page's annotate takes them.
    app::Settings settings;
    if (has(options, "seed") && options["seed"].isNumber()) settings["seed"] = app::number_text(options["seed"].as<double>());
    annotate::AnnotateOptions o = app::read_annotate_settings(settings).options;
    o.keep_embedding = m.keep_embedding;
    o.reference_name = reference;
    o.query_name = text_or(names, "query", "the query");
    o.model_name = model ? "the model" : "";
    CellMatrix genes;  // the query's genes only: they choose the shared genes
    genes.n_genes = m.chunk.n_genes;
    genes.indptr.assign(1, 0);
    genes.gene_ids = m.chunk.gene_ids;
    genes.gene_symbols = m.chunk.gene_symbols;
    app::StreamedAnnotationOptions so;
    so.keep_embedding = m.keep_embedding;
    so.total_cells = int64_t(m.stream->barcodes().size());
    m.ann.emplace(ref, labels, genes, model ? &model->model() : nullptr, o, so, m.rc);
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
    const std::vector<annotate::Predictions>& parts = m.ann->finish();  // as `scpt annotate` on a streamed query
    m.labels.clear();
    for (const auto& p : parts) {
        m.labels.insert(m.labels.end(), p.label.begin(), p.label.end());
        m.confidence.insert(m.confidence.end(), p.confidence.begin(), p.confidence.end());
        if (m.keep_embedding) {
            m.dims = int(p.embedding.cols());
            m.embedding.insert(m.embedding.end(), p.embedding.data(), p.embedding.data() + p.embedding.size());
        }
    }
    const annotate::FitSummary& f = m.ann->fit();
    val r = val::object();
    r.set("cells", double(m.first));
    val classes = val::array(), counts = val::array();
    std::vector<double> c(f.classes.size() + 1, 0.0);
    for (int32_t l : m.labels) c[l < 0 ? f.classes.size() : size_t(l)] += 1;
    for (size_t i = 0; i < f.classes.size(); ++i) classes.call<void>("push", f.classes[i]);
    for (double x : c) counts.call<void>("push", x);
    r.set("classes", classes);
    r.set("counts", counts);
    r.set("genes", m.ann->genes_summary());
    r.set("transform", m.ann->transform());
    val w = string_array(f.warnings);
    for (const auto& s : m.ann->query_warnings()) w.call<void>("push", s);
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
