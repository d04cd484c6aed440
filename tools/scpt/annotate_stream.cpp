#include "tools/scpt/annotate_stream.hpp"

#include "core/util/error.hpp"
#include "tools/scpt/annotate_inputs.hpp"

namespace scpt::cli {

Labelled annotate_streamed(const StreamArgs& a, const native::TenxPaths& paths, const CellMatrix& reference,
                           const std::vector<std::string>& labels, const Model* model,
                           const annotate::AnnotateOptions& o, const RunControl& rc, native::AtomicFile& out) {
    Labelled done;
    native::TenxStreamOptions so;
    so.read.control = &rc;
    so.chunk_cells = a.chunk_cells;
    const auto on_genes = [&](const CellMatrix& genes, int64_t cells) {
        app::StreamedAnnotationOptions st;
        st.keep_probabilities = a.probabilities;
        st.total_cells = cells;
        done.stream.emplace(reference, labels, genes, model, o, st, rc);
        done.fit = done.stream->fit();
    };
    const auto on_chunk = [&](const CellMatrix& chunk, int64_t) { done.stream->add(chunk); };
    try {
        native::stream_tenx_files(paths, so, on_genes, on_chunk);
    } catch (const InputError&) {
        if (!done.stream || done.stream->cells() > 0) throw;
        done.streamed = false;  // the whole reader decides: it reads any order, or says what is wrong
        return done;
    }
    if (!done.stream) throw input_error(a.query, "has no cells");
    const std::vector<annotate::Predictions>& parts = done.stream->finish();
    for (size_t k = 0; k < parts.size(); ++k) {
        const annotate::Predictions& p = parts[k];
        out.write(predictions_table(p, done.fit.classes, a.probabilities, a.details, k == 0));
        done.cells += int64_t(p.cells.size());
        for (int32_t l : p.label) ++done.count[l];
    }
    done.genes_summary = done.stream->genes_summary();
    done.transform = done.stream->transform();
    done.warnings = done.stream->query_warnings();
    done.streamed = true;
    return done;
}

}  // namespace scpt::cli
