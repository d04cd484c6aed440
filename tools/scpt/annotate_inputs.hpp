// What `scpt annotate`, `scpt eval` and `scpt embed` share: reading matrices with the same read
// options, the reference's labels (a labels file or a metadata column), the model (--model, the
// shipped default, or none), the ortholog table, and writing a predictions table.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/data/orthologs.hpp"
#include "core/model/model.hpp"
#include "tools/scpt/commands.hpp"

namespace scpt::cli {

struct MatrixArgs {
    bool raw = false;
    std::string layer, gene_column, genome;
};
void add_matrix_options(CLI::App* sub, MatrixArgs& a);
CellMatrix read_matrix(const std::string& path, const MatrixArgs& a, const RunControl& rc);

// Labels per cell of `m` (read from `path`): from --labels FILE (its column `column` when given,
// else the second), or from the metadata column `column`. Warnings go to *warnings.
std::vector<std::string> read_labels(const CellMatrix& m, const std::string& path, const std::string& labels_file,
                                     const std::string& column, std::vector<std::string>* warnings);

struct ModelChoice {
    std::optional<Model> model;  // empty: no pre-training
    std::string path;            // where it came from
};
// --model PATH; or --no-pretrained; or the shipped default (a warning when it is missing, and no
// pre-training then, so that a broken install still annotates).
ModelChoice choose_model(const std::string& path, bool no_pretrained, std::vector<std::string>* warnings);

std::optional<OrthologTable> read_orthologs(const std::string& path);

// PRED.tsv: a header line, then per predicted cell: barcode, label (a type or Unassigned),
// confidence; with `probabilities`, one column per type; with `details`, the most probable type
// (closest) and the typicality p-value.
// `header` false: the rows only (a streamed query's later chunks).
std::string predictions_table(const annotate::Predictions& p, const std::vector<std::string>& classes,
                              bool probabilities, bool details, bool header = true);

// Type names as they go into a TSV cell (tabs and line breaks become spaces).
std::string tsv_cell(const std::string& s);

}  // namespace scpt::cli
