// The options of annotation, one table for `scpt annotate` and the page: each key is the CLI's
// flag without "--" and the page's request key. Adding an option here (spec + read) reaches both.
#pragma once
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/app/settings.hpp"

namespace scpt::app {

// finetune, unknown, alpha, min-probability, typicality-space, head, reference-pcs,
// reference-genes, seed, transform, all-genes, allow-scaled, majority-voting, over-cluster-cells,
// no-pretrained, probabilities, details, clusters. Defaults are core's (AnnotateOptions).
const std::vector<SettingSpec>& annotate_setting_specs();

struct AnnotateSettings {
    annotate::AnnotateOptions options;  // everything core's flows take
    bool no_pretrained = false;         // train without the model (scPretrain's baseline)
    bool probabilities = false;         // the table gets one column per type
    bool details = false;               // ... and closest, typicality, typicality_score
    bool min_probability_given = false; // a shipped classifier keeps its own threshold otherwise
    int clusters = 0;                   // no labels: K-means groups (0: chosen from the cell count)
};

// Throws InputError naming the option (prefix + key) for an unknown key or a bad value.
AnnotateSettings read_annotate_settings(const Settings& given, const std::string& prefix = "");

}  // namespace scpt::app
