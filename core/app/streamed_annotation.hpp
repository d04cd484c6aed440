// Annotation of a query too large to hold, fed a chunk of cells at a time (a 10x folder read by
// a stream: tools/scpt/annotate_stream.cpp natively, wasm/stream_annotate_api.cpp in the page).
// The classifier is fitted on the reference once (the query's genes choose the shared ones), each
// chunk is labelled as it comes, and the query-typicality rule is decided over every chunk at the
// end, so each cell gets what labelling the whole query at once gives it. Memory: the reference,
// the classifier and the chunks' predictions (their probabilities and embeddings only on request).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"

namespace scpt::app {

struct StreamedAnnotationOptions {
    bool keep_probabilities = false;  // the chunks' probabilities stay (a table with a column per type)
    bool keep_embedding = false;      // their embeddings stay (a map); needs AnnotateOptions::keep_embedding
    int64_t total_cells = 0;          // the query's cells, for progress ("2,048 of 10,000 cells"; 0: unknown)
};

class StreamedAnnotation {
public:
    // `query_genes` carries the query's genes (its cells are not used). Throws as Annotator::fit.
    StreamedAnnotation(const CellMatrix& reference, const std::vector<std::string>& labels,
                       const CellMatrix& query_genes, const Model* model, const annotate::AnnotateOptions& options,
                       const StreamedAnnotationOptions& stream = {}, const RunControl& control = {});

    // Labels the next chunk (its cells follow the previous chunk's; the query's genes in the same
    // order). The first chunk decides how the query's genes match and its values are transformed.
    void add(const CellMatrix& chunk);

    // Decides the query-typicality rule over all chunks and returns their predictions, in order.
    // Throws InputError when no cell came. Call once, after the last add().
    const std::vector<annotate::Predictions>& finish();

    int64_t cells() const { return cells_; }
    const annotate::Annotator& annotator() const { return annotator_; }
    const annotate::FitSummary& fit() const { return annotator_.summary(); }
    // How the query's genes matched and its values were read (after the first chunk: else empty).
    std::string genes_summary() const;
    std::string transform() const;
    std::vector<std::string> query_warnings() const;

private:
    annotate::Annotator annotator_;
    StreamedAnnotationOptions stream_;
    RunControl control_, quiet_;  // quiet_: a chunk's own progress would restart at 0 each time
    std::string query_name_;
    std::optional<annotate::Annotator::QueryPlan> plan_;
    std::vector<annotate::Predictions> parts_;
    int64_t cells_ = 0;
    bool finished_ = false;
};

}  // namespace scpt::app
