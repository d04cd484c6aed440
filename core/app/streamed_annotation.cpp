#include "core/app/streamed_annotation.hpp"

#include <cstdio>

#include "core/util/error.hpp"

namespace scpt::app {

StreamedAnnotation::StreamedAnnotation(const CellMatrix& reference, const std::vector<std::string>& labels,
                                       const CellMatrix& query_genes, const Model* model,
                                       const annotate::AnnotateOptions& options, const StreamedAnnotationOptions& stream,
                                       const RunControl& control)
    : annotator_(annotate::Annotator::fit(reference, labels, &query_genes, model, options, control)),
      stream_(stream),
      control_(control),
      quiet_(control),
      query_name_(options.query_name) {
    quiet_.progress = nullptr;
}

void StreamedAnnotation::add(const CellMatrix& chunk) {
    if (finished_) throw std::logic_error("StreamedAnnotation::add after finish");
    if (chunk.n_cells == 0) return;
    if (!plan_) plan_ = annotator_.plan_query(chunk, query_name_);
    annotate::Predictions p = annotator_.predict(chunk, nullptr, *plan_, quiet_);
    // What the query-typicality rule decides again at the end is kept; the rest only on request.
    if (!stream_.keep_probabilities) p.probabilities.resize(0, 0);
    if (!stream_.keep_embedding) p.embedding.resize(0, 0);
    // Rows of the query, not of the chunk.
    for (auto& row : p.cells) row += cells_;
    cells_ += chunk.n_cells;
    parts_.push_back(std::move(p));
    char buf[96];
    std::snprintf(buf, sizeof buf, "%lld of %lld cells", (long long)cells_, (long long)stream_.total_cells);
    control_.report({"predict", stream_.total_cells > 0 ? double(cells_) / double(stream_.total_cells) : 1.0, buf,
                     double(cells_)});
}

const std::vector<annotate::Predictions>& StreamedAnnotation::finish() {
    if (finished_) throw std::logic_error("StreamedAnnotation::finish twice");
    if (cells_ == 0) throw InputError(query_name_ + " has no cells");
    std::vector<annotate::Predictions*> all;
    for (auto& p : parts_) all.push_back(&p);
    annotator_.calibrate_on_query(all);
    finished_ = true;
    return parts_;
}

std::string StreamedAnnotation::genes_summary() const { return plan_ ? plan_->genes.summary : std::string(); }
std::string StreamedAnnotation::transform() const { return plan_ ? plan_->transform.description() : std::string(); }
std::vector<std::string> StreamedAnnotation::query_warnings() const {
    return plan_ ? plan_->warnings : std::vector<std::string>();
}

}  // namespace scpt::app
