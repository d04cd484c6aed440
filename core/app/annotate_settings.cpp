#include "core/app/annotate_settings.hpp"

#include "core/annotate/evaluate.hpp"
#include "core/util/error.hpp"

namespace scpt::app {

namespace {

using Kind = SettingSpec::Kind;

std::vector<SettingSpec> head_specs() {
    const annotate::AnnotateOptions d;
    return {
        {"head", Kind::Choice, "linear", {"linear", "mlp"}, 0, 0,
         "Head mode's classifier: linear (logistic regression on the encoder outputs, the reference's principal "
         "components and marker genes) or mlp (the paper's 100-unit head)"},
        {"reference-pcs", Kind::Whole, number_text(d.reference_pcs), {}, 0, 500,
         "Head mode: principal components of the reference added to the encoder outputs (0: none)"},
        {"reference-genes", Kind::Whole, number_text(d.reference_genes), {}, 0, 5000,
         "Head mode: the reference's marker genes added to them (most type-specific first; 0: none)"},
    };
}

std::vector<SettingSpec> all_specs() {
    const annotate::AnnotateOptions d;
    std::vector<SettingSpec> s = {
        {"finetune", Kind::Choice, "head", {"head", "full"}, 0, 0,
         "head: train the classifier on the frozen pre-trained encoder (fast); full: train the encoder too (the paper's)"},
        {"no-pretrained", Kind::Flag, "", {}, 0, 0, "Train the same network from scratch (scPretrain's baseline)"},
        {"unknown", Kind::Choice, annotate::unknown_rule_name(d.unknown.rule),
         {"query-typicality", "typicality", "probability", "either", "none"}, 0, 0,
         "When a cell is Unassigned: query-typicality (typicality on the query's own scale), typicality, "
         "probability, either, none"},
        {"typicality-space", Kind::Choice, "encoder", {"encoder", "head"}, 0, 0,
         "Where typicality is measured: encoder (the frozen encoder's output) or head (what the classifier sees)"},
        {"alpha", Kind::Number, number_text(d.unknown.alpha), {}, 0, 1, "Typicality: p-value below which a cell is Unassigned"},
        {"min-probability", Kind::Number, number_text(d.unknown.min_probability), {}, 0, 1,
         "Probability: confidence below which a cell is Unassigned (a shipped classifier: its own unless given)"},
        {"seed", Kind::Whole, "0", {}, 0, 9.0e15, "Random seed (same seed and data: the same labels)"},
        {"transform", Kind::Choice, transform_name(d.transform_without_model), {"log1p", "cp10k_log1p"}, 0, 0,
         "Without a model: values the network is trained on, cp10k_log1p (counts per 10k then log1p) or log1p "
         "(the paper's); with a model: the model's"},
        {"all-genes", Kind::Flag, "", {}, 0, 0, "Train on every reference gene, not only those the query has"},
        {"allow-scaled", Kind::Flag, "", {}, 0, 0, "Accept z-scored values instead of refusing them"},
        {"majority-voting", Kind::Flag, "", {}, 0, 0,
         "Refine each cell's label by the majority of its over-cluster of the query (as CellTypist's majority "
         "voting; adds the columns cell_label and over_cluster)"},
        {"over-cluster-cells", Kind::Whole, number_text(d.majority_vote.cells_per_cluster), {}, 1, 1 << 24,
         "Majority voting: cells per over-cluster the clustering aims at"},
        {"probabilities", Kind::Flag, "", {}, 0, 0, "Add one column per type with its probability"},
        {"details", Kind::Flag, "", {}, 0, 0, "Add the most probable type (closest) and the typicality p-value"},
        {"clusters", Kind::Whole, "0", {}, 0, 20,
         "Without labels or a classifier: K-means groups of the cells (0: about the square root of cells / 20, 2 to 20)"},
    };
    for (auto& h : head_specs()) s.push_back(std::move(h));
    return s;
}

}  // namespace

const std::vector<SettingSpec>& annotate_setting_specs() {
    static const std::vector<SettingSpec> specs = all_specs();
    return specs;
}


AnnotateSettings read_annotate_settings(const Settings& given, const std::string& prefix) {
    const SettingsReader r(annotate_setting_specs(), given, prefix);
    AnnotateSettings s;
    annotate::AnnotateOptions& o = s.options;
    annotate::parse_finetune_mode(r.choice("finetune"), o.mode);
    s.no_pretrained = r.flag("no-pretrained");
    annotate::parse_unknown_rule(r.choice("unknown"), o.unknown.rule);
    o.unknown.space = r.choice("typicality-space") == "head" ? annotate::DetectorSpace::Penultimate
                                                             : annotate::DetectorSpace::Encoder;
    o.unknown.alpha = r.number("alpha");
    o.unknown.min_probability = r.number("min-probability");
    s.min_probability_given = r.given("min-probability");
    o.seed = uint64_t(r.whole("seed"));
    parse_transform(r.choice("transform"), o.transform_without_model);
    o.shared_genes_only = !r.flag("all-genes");
    o.allow_scaled = r.flag("allow-scaled");
    o.majority_vote.enabled = r.flag("majority-voting");
    o.majority_vote.cells_per_cluster = int(r.whole("over-cluster-cells"));
    s.probabilities = r.flag("probabilities");
    s.details = r.flag("details");
    s.clusters = int(r.whole("clusters"));
    o.head_classifier = r.choice("head") == "mlp" ? annotate::AnnotateOptions::HeadClassifier::Mlp
                                                  : annotate::AnnotateOptions::HeadClassifier::Linear;
    o.reference_pcs = int(r.whole("reference-pcs"));
    o.reference_genes = int(r.whole("reference-genes"));
    return s;
}

}  // namespace scpt::app
