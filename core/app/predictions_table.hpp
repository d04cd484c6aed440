// The predictions table both front ends write (PRED.tsv, the page's download): a header line,
// then per predicted cell its barcode and label (a type, or Unassigned), and its confidence;
// with majority voting its own label (cell_label) and over-cluster; with details the most
// probable type (closest), the typicality p-value and its score; with probabilities one column
// per type. K-means groups have no confidence: barcode and group only. Tabs and line breaks in
// names become spaces.
#pragma once
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/app/annotate_flow.hpp"

namespace scpt::app {

struct TableOptions {
    bool probabilities = false;
    bool details = false;
    bool header = true;   // false: the rows only (a streamed query's later chunks)
    bool groups = false;  // K-means groups: barcode, label
};

std::string predictions_table(const annotate::Predictions& p, const std::vector<std::string>& classes,
                              const TableOptions& options);

// The outcome's table, with the settings' probabilities and details.
std::string predictions_table(const AnnotateOutcome& outcome, const AnnotateSettings& settings);

// A name as it goes into a TSV cell.
std::string tsv_cell(const std::string& s);

}  // namespace scpt::app
