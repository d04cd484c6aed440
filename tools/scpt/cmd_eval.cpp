// scpt eval DATA (--labels L | --label-column COL): scPretrain's evaluation protocol on the peers'
// splits (core/annotate/evaluate.hpp). A readable report on stdout, everything as JSON with --json.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/annotate/evaluate.hpp"
#include "tools/native/files.hpp"
#include "tools/scpt/annotate_inputs.hpp"
#include "tools/scpt/commands.hpp"
#include "tools/scpt/progress_line.hpp"
#include "tools/scpt/settings_flags.hpp"
#include "core/app/annotate_settings.hpp"

namespace scpt::cli {

namespace {

// The options of annotation eval takes (the rest are the protocol's own), from annotate's table.
const std::vector<app::SettingSpec>& eval_setting_specs() {
    static const std::vector<app::SettingSpec> specs =
        settings_named(app::annotate_setting_specs(), {"unknown", "typicality-space", "alpha", "min-probability", "transform",
                                                       "allow-scaled", "head", "reference-pcs", "reference-genes"});
    return specs;
}

struct EvalArgs {
    app::Settings given;  // eval_setting_specs(), as given
    std::string data, labels, label_column, model, json, modes = "head,full,scratch", orthologs;
    bool no_pretrained = false, no_representations = false, hold_out = false;
    int seeds = 5, first_seed = 0, threads = 1;
    MatrixArgs read;
};

nlohmann::ordered_json seed_json(const annotate::SeedScores& s) {
    return {{"seed", s.seed},
            {"accuracy", s.scores.accuracy},
            {"kappa", s.scores.kappa},
            {"macro_f1", s.scores.macro_f1},
            {"median_f1", s.scores.median_f1},
            {"accuracy_no_rule", s.accuracy_no_rule},
            {"macro_f1_no_rule", s.macro_f1_no_rule},
            {"auroc", s.auroc},
            {"auprc", s.auprc},
            {"unassigned", s.unassigned},
            {"ece", s.ece},
            {"seconds", s.seconds},
            {"best_epoch", s.best_epoch}};
}

std::string report_text(const annotate::EvalReport& r, const EvalArgs& a) {
    std::ostringstream o;
    char buf[256];
    o << "dataset " << a.data << ": " << r.cells << " labelled cells of " << r.classes.size() << " types; reference "
      << r.reference_cells << " and test " << r.test_cells << " cells per split; seeds " << a.first_seed << ".."
      << a.first_seed + a.seeds - 1 << "\n\n";
    o << "annotation of the test cells (mean over seeds; Unassigned counts as wrong):\n";
    o << "mode      accuracy  kappa  macro-F1  AUROC  AUPRC  unassigned  acc(no rule)  F1(no rule)  ECE    seconds\n";
    for (const auto& m : r.modes) {
        const auto& s = m.mean;
        if (!m.skipped.empty()) {
            o << annotate::finetune_mode_name(m.mode) << ": not run: " << m.skipped << "\n";
            continue;
        }
        std::snprintf(buf, sizeof buf, "%-8s  %8.4f  %5.3f  %8.4f  %5.3f  %5.3f  %10.3f  %12.4f  %11.4f  %5.3f  %7.2f\n",
                      annotate::finetune_mode_name(m.mode), s.scores.accuracy, s.scores.kappa, s.scores.macro_f1,
                      s.auroc, s.auprc, s.unassigned, s.accuracy_no_rule, s.macro_f1_no_rule, s.ece, s.seconds);
        o << buf;
    }
    if (!r.modes.empty() && r.modes[0].skipped.empty()) {
        const auto& m = r.modes[0];
        o << "\nconfusion matrix (" << annotate::finetune_mode_name(m.mode)
          << ", summed over seeds; rows: truth, columns: prediction in the same order, last: Unassigned)\n";
        for (size_t i = 0; i < r.classes.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%-28.28s", r.classes[i].c_str());
            o << buf;
            for (int64_t v : m.confusion[i]) o << " " << v;
            o << "\n";
        }
    }
    if (!r.representations.empty()) {
        o << "\nrepresentations (no fine-tuning; mean over seeds):\n";
        o << "            dims  K-means ARI  K-means NMI  LR accuracy  LR macro-F1\n";
        for (const auto& p : r.representations) {
            std::snprintf(buf, sizeof buf, "%-10s  %4d  %11.4f  %11.4f  %11.4f  %11.4f\n", p.name.c_str(), p.dims, p.ari,
                          p.nmi, p.lr_accuracy, p.lr_macro_f1);
            o << buf;
        }
    }
    if (!r.hold_out.empty()) {
        o << "\nunknown types (each type held out of the reference in turn, " << r.hold_out[0].runs << " runs):\n";
        o << "rule                                        caught  known lost  known acc  accuracy  macro-F1\n";
        for (const auto& h : r.hold_out) {
            std::snprintf(buf, sizeof buf, "%-42s  %6.3f  %10.3f  %9.3f  %8.4f  %8.4f\n", h.rule.c_str(), h.unknown_caught,
                          h.known_lost, h.known_accuracy, h.accuracy, h.macro_f1);
            o << buf;
        }
    }
    for (const auto& w : r.warnings) o << "warning: " << w << "\n";
    return o.str();
}

nlohmann::ordered_json report_json(const annotate::EvalReport& r, const EvalArgs& a, const std::string& model) {
    nlohmann::ordered_json j;
    j["data"] = a.data;
    j["model"] = model;
    j["cells"] = r.cells;
    j["classes"] = r.classes;
    j["reference_cells"] = r.reference_cells;
    j["test_cells"] = r.test_cells;
    j["modes"] = nlohmann::ordered_json::array();
    for (const auto& m : r.modes) {
        nlohmann::ordered_json jm;
        jm["mode"] = annotate::finetune_mode_name(m.mode);
        if (!m.skipped.empty()) jm["skipped"] = m.skipped;
        jm["mean"] = seed_json(m.mean);
        jm["seeds"] = nlohmann::ordered_json::array();
        for (const auto& s : m.seeds) jm["seeds"].push_back(seed_json(s));
        jm["confusion"] = m.confusion;
        j["modes"].push_back(jm);
    }
    j["representations"] = nlohmann::ordered_json::array();
    for (const auto& p : r.representations)
        j["representations"].push_back({{"name", p.name}, {"dims", p.dims}, {"ari", p.ari}, {"nmi", p.nmi},
                                        {"lr_accuracy", p.lr_accuracy}, {"lr_macro_f1", p.lr_macro_f1}});
    j["hold_out"] = nlohmann::ordered_json::array();
    for (const auto& h : r.hold_out)
        j["hold_out"].push_back({{"rule", h.rule}, {"caught", h.unknown_caught}, {"known_lost", h.known_lost},
                                 {"known_accuracy", h.known_accuracy}, {"accuracy", h.accuracy},
                                 {"macro_f1", h.macro_f1}, {"runs", h.runs}});
    j["warnings"] = r.warnings;
    return j;
}

void run(const EvalArgs& a, Context& ctx) {
    std::unique_ptr<native::AtomicFile> json;
    if (!a.json.empty()) json = std::make_unique<native::AtomicFile>(a.json);
    ProgressLine line(ctx.quiet);
    RunControl rc = line.attach(ctx.control);
    rc.threads = a.threads;
    std::vector<std::string> warnings;

    annotate::EvalOptions o;
    o.seeds.clear();
    for (int s = 0; s < a.seeds; ++s) o.seeds.push_back(uint32_t(a.first_seed + s));
    o.modes.clear();
    std::stringstream ms(a.modes);
    for (std::string m; std::getline(ms, m, ',');) {
        train::FinetuneMode mode;
        if (!annotate::parse_finetune_mode(m, mode)) throw InputError("--modes: unknown mode '" + m + "' (head, full, scratch)");
        o.modes.push_back(mode);
    }
    o.annotate = app::read_annotate_settings(a.given, "--").options;
    o.representations = !a.no_representations;
    o.hold_out_types = a.hold_out;
    o.annotate.reference_name = a.data;
    o.annotate.labels_name = a.labels.empty() ? a.data + " column " + a.label_column : a.labels;
    const auto orth = read_orthologs(a.orthologs);
    if (orth) o.annotate.orthologs = &*orth;

    ModelChoice mc = choose_model(a.model, a.no_pretrained, &warnings);
    if (mc.model) o.annotate.model_name = mc.path;
    const CellMatrix m = read_matrix(a.data, a.read, rc);
    const std::vector<std::string> labels = read_labels(m, a.data, a.labels, a.label_column, &warnings);
    annotate::EvalReport r = annotate::evaluate(m, labels, mc.model ? &*mc.model : nullptr, o, rc);
    line.finish();
    r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
    std::cout << report_text(r, a);
    if (json) {
        json->write(report_json(r, a, mc.path).dump(1) + "\n");
        json->commit();
    }
}

}  // namespace

void add_eval(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<EvalArgs>();
    auto* sub = app.add_subcommand("eval", "scPretrain's evaluation protocol on a labelled dataset (peers' splits)");
    sub->add_option("data", a->data, "Labelled cells: 10x folder, .h5, .h5ad, .loom, .mtx, CSV/TSV")->required();
    sub->add_option("--labels", a->labels, "Labels file: barcode<TAB>label");
    sub->add_option("--label-column", a->label_column, "Metadata column holding the types (with --labels: its column)");
    sub->add_option("--seeds", a->seeds, "Number of splits (seeds first-seed, first-seed+1, ...)")->check(CLI::Range(1, 1000));
    sub->add_option("--first-seed", a->first_seed, "First seed")->check(CLI::Range(0, 1 << 30));
    sub->add_option("--model", a->model, "Pre-trained model file (default: the shipped models/default.scpt)");
    sub->add_flag("--no-pretrained", a->no_pretrained, "Evaluate without a model (scratch only)");
    sub->add_option("--modes", a->modes, "Fine-tuning modes to compare, comma-separated: head,full,scratch");
    add_setting_flags(sub, eval_setting_specs(), a->given);
    sub->add_flag("--no-representations", a->no_representations, "Skip K-means / logistic regression on embedding vs PCA");
    sub->add_flag("--hold-out-types", a->hold_out, "Measure the Unassigned rules, holding each type out in turn");
    sub->add_option("--orthologs", a->orthologs, "Human/mouse one-to-one ortholog table");
    sub->add_option("--json", a->json, "Also write the full report as JSON");
    sub->add_option("--threads", a->threads, "Worker threads")->check(CLI::Range(1, 256));
    add_matrix_options(sub, a->read);
    sub->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace scpt::cli
