#include "tools/scpt/annotate_stream.hpp"

#include <cstdio>

#include "core/util/error.hpp"
#include "tools/scpt/annotate_inputs.hpp"

namespace scpt::cli {

Labelled annotate_streamed(const StreamArgs& a, const native::TenxPaths& paths, const CellMatrix& reference,
                           const std::vector<std::string>& labels, const Model* model,
                           const annotate::AnnotateOptions& o, const RunControl& rc, native::AtomicFile& out) {
    Labelled done;
    std::optional<annotate::Annotator::QueryPlan> plan;
    int64_t total = 0, chunks = 0;
    // The query-typicality rule decides over the whole query: the chunks' predictions are kept
    // (labels, probabilities: not the values) and written once every chunk is in.
    std::vector<annotate::Predictions> parts;
    RunControl quiet = rc;  // the chunks' own progress would restart at 0 each time
    quiet.progress = nullptr;
    native::TenxStreamOptions so;
    so.read.control = &rc;
    so.chunk_cells = a.chunk_cells;
    const auto on_genes = [&](const CellMatrix& genes, int64_t cells) {
        total = cells;
        done.annotator.emplace(annotate::Annotator::fit(reference, labels, &genes, model, o, rc));
        done.fit = done.annotator->summary();
    };
    const auto on_chunk = [&](const CellMatrix& chunk, int64_t first) {
        const annotate::Annotator& ann = *done.annotator;
        if (!plan) {
            plan = ann.plan_query(chunk, o.query_name);
            done.genes_summary = plan->genes.summary;
            done.transform = plan->transform.description();
            done.warnings = plan->warnings;
        }
        parts.push_back(ann.predict(chunk, nullptr, *plan, quiet));
        ++chunks;
        const int64_t e = first + chunk.n_cells;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%lld of %lld cells", (long long)e, (long long)total);
        rc.report({"predict", total > 0 ? double(e) / double(total) : 1.0, buf, double(e)});
    };
    try {
        native::stream_tenx_files(paths, so, on_genes, on_chunk);
    } catch (const InputError&) {
        if (!done.annotator || chunks > 0) throw;
        done.streamed = false;  // the whole reader decides: it reads any order, or says what is wrong
        return done;
    }
    if (!done.annotator) throw input_error(a.query, "has no cells");
    if (chunks == 0) throw input_error(a.query, "has no cells");
    std::vector<annotate::Predictions*> all;
    for (auto& p : parts) all.push_back(&p);
    done.annotator->calibrate_on_query(all);
    for (size_t k = 0; k < parts.size(); ++k) {
        const annotate::Predictions& p = parts[k];
        out.write(predictions_table(p, done.fit.classes, a.probabilities, a.details, k == 0));
        done.cells += int64_t(p.cells.size());
        for (int32_t l : p.label) ++done.count[l];
    }
    done.streamed = true;
    return done;
}

}  // namespace scpt::cli
