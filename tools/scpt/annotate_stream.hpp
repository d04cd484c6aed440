// `scpt annotate` on a query too large to hold: a 10x folder is read a chunk of cells at a time
// (tools/native/tenx_file_stream.hpp) and each chunk is labelled and written as it comes, so memory
// holds the reference, the classifier and one chunk, whatever the query's size. Same predictions
// per cell as reading the query whole (the values' kind is judged on the first chunk).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/app/streamed_annotation.hpp"
#include "tools/native/files.hpp"
#include "tools/native/tenx_file_stream.hpp"

namespace scpt::cli {

// What was labelled, for the summary on stderr.
struct Labelled {
    bool streamed = false;  // false: nothing written; read the query whole (with `annotator` when set)
    std::optional<app::StreamedAnnotation> stream;  // fitted before the stream was refused (unsorted file)
    annotate::FitSummary fit;
    int64_t cells = 0;
    std::map<int32_t, int64_t> count;  // per label (-1 Unassigned)
    std::string genes_summary, transform;
    std::vector<std::string> warnings;  // the query's (genes, values)
};

struct StreamArgs {
    std::string query;
    bool probabilities = false, details = false;
    int64_t chunk_cells = 4096;
};

// Fits on the reference (the query's genes choose the shared ones), then labels the query chunk by
// chunk into `out` (not committed), through core's StreamedAnnotation. A file the stream refuses
// before its first chunk (not sorted by cell, cells in rows) returns streamed = false with the
// fitted annotator in `stream`; other errors throw.
Labelled annotate_streamed(const StreamArgs& a, const native::TenxPaths& paths, const CellMatrix& reference,
                           const std::vector<std::string>& labels, const Model* model,
                           const annotate::AnnotateOptions& o, const RunControl& rc, native::AtomicFile& out);

}  // namespace scpt::cli
