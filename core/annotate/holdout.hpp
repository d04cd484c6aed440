// Measuring the Unknown-type rules: each cell type is held out of the reference in turn; the test
// cells (every type) are labelled; a cell of the held-out type is right only when called
// Unassigned (as ../shared/peers/common.py scores `known`). Per rule, over held-out types and seeds:
//   unknown_caught  share of the held-out type's test cells called Unassigned
//   known_lost      share of known-type test cells called Unassigned
//   known_accuracy  share of known-type test cells given their true type
//   accuracy, macro_f1  over every test cell with Unassigned as the truth of the held-out type
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"

namespace scpt::annotate {

struct HoldOutOptions {
    std::vector<UnknownTypeOptions> rules;  // empty: none, probability 0.5, typicality at several alphas, either
    int64_t min_test_cells = 5;             // types with fewer test cells are not held out
    int max_seeds = 5;                      // seeds of the evaluation used (types x seeds fits)
};

struct HoldOutReport {
    std::string rule;  // "typicality alpha=0.01", ...
    UnknownTypeOptions options;
    double unknown_caught = 0, known_lost = 0, known_accuracy = 0;
    double accuracy = 0, macro_f1 = 0;
    int64_t runs = 0;  // held-out type x seed runs averaged
};

std::vector<UnknownTypeOptions> default_holdout_rules();
std::string rule_label(const UnknownTypeOptions& u);

struct HoldOutInput {
    const CellMatrix* cells = nullptr;   // the labelled cells (as read)
    std::vector<std::string> labels;     // per cell
    const Model* model = nullptr;
    std::vector<std::vector<int64_t>> reference, test;  // per seed: rows of cells
    std::vector<uint32_t> seeds;
};

std::vector<HoldOutReport> hold_out_types(const HoldOutInput& in, const AnnotateOptions& annotate,
                                          const HoldOutOptions& options, const RunControl& control = {});

}  // namespace scpt::annotate
