// `scpt eval`: scPretrain's evaluation protocol on one labelled dataset, on the peers' splits
// (split.hpp: for each seed, reference = min(60%,1000) + min(10%,1000) cells, test = the rest):
//   - annotation scores of each fine-tuning mode (Full, Head: need a model; Scratch: none),
//     side by side: accuracy, Cohen's kappa, macro-F1, macro AUROC and AUPRC, time, and the
//     confusion matrix of the first mode summed over seeds;
//   - representations (representations.hpp): K-means and logistic regression on the pre-trained
//     embedding vs on PCA-200;
//   - unknown types (holdout.hpp): each type held out of the reference in turn.
// Only labelled cells take part (unlabelled ones are dropped before splitting).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/annotate/holdout.hpp"
#include "core/stats/metrics.hpp"
#include "core/annotate/representations.hpp"
#include "core/stats/split.hpp"

namespace scpt::annotate {

struct EvalOptions {
    std::vector<uint32_t> seeds{0, 1, 2, 3, 4};
    std::vector<train::FinetuneMode> modes{train::FinetuneMode::Head, train::FinetuneMode::Full,
                                           train::FinetuneMode::Scratch};  // modes needing a model are skipped without one
    AnnotateOptions annotate;    // everything but mode and seed (taken from above)
    PaperSplitOptions split;
    bool representations = true;
    bool hold_out_types = false;
    HoldOutOptions hold_out;
};

struct SeedScores {
    uint32_t seed = 0;
    ClassificationScores scores;    // labels after the unknown-type rule (Unassigned counts as wrong)
    double accuracy_no_rule = 0;    // the most probable type for every cell
    double macro_f1_no_rule = 0;
    double auroc = 0, auprc = 0;    // from the probabilities
    double unassigned = 0;          // share of test cells called Unassigned
    double ece = 0;                 // expected calibration error of the confidence
    double seconds = 0;             // fit + predict
    int best_epoch = 0;
};

struct ModeReport {
    train::FinetuneMode mode = train::FinetuneMode::Head;
    std::vector<SeedScores> seeds;
    SeedScores mean;                             // every field averaged over seeds
    std::vector<std::vector<int64_t>> confusion; // summed over seeds; last column Unassigned
    std::string skipped;                         // why the mode could not run (genes do not match the model)
};

struct EvalReport {
    std::vector<std::string> classes;
    int64_t cells = 0;          // labelled cells evaluated
    int64_t reference_cells = 0, test_cells = 0;
    std::vector<ModeReport> modes;
    std::vector<RepresentationReport> representations;
    std::vector<HoldOutReport> hold_out;
    std::vector<std::string> warnings;
};

// Throws InputError when fewer than 2 types or too few cells are labelled to split.
EvalReport evaluate(const CellMatrix& data, const std::vector<std::string>& labels, const Model* model,
                    const EvalOptions& options, const RunControl& control = {});

// The labelled cells of m as a matrix of their own (names and values; metadata dropped), with
// their labels.
CellMatrix labelled_subset(const CellMatrix& m, const std::vector<std::string>& labels, const LabelRules& rules,
                           std::vector<std::string>& subset_labels);

// The listed rows of m as a matrix of their own (values, barcodes, genes; no metadata).
CellMatrix row_subset(const CellMatrix& m, const std::vector<int64_t>& rows);

const char* finetune_mode_name(train::FinetuneMode m);  // "full", "head", "scratch"
bool parse_finetune_mode(const std::string& s, train::FinetuneMode& out);

}  // namespace scpt::annotate
