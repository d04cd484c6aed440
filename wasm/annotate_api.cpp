#include "wasm/annotate_api.hpp"

#include <emscripten/bind.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/annotate/annotate.hpp"
#include "core/annotate/classifier_fit.hpp"
#include "core/annotate/evaluate.hpp"
#include "core/annotate/fit_description.hpp"
#include "core/annotate/stored_classifier.hpp"
#include "core/app/annotate_flow.hpp"
#include "core/app/predictions_table.hpp"
#include "core/app/truth_score.hpp"
#include "core/data/gene_match.hpp"
#include "core/data/transform.hpp"
#include "core/model/model.hpp"
#include "wasm/cell_map_api.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/js_object.hpp"
#include "wasm/model_api.hpp"

namespace scpt::wasm {

using emscripten::val;

namespace {

const Model* model_of(const val& m) {
    if (absent(m)) return nullptr;
    return &m.as<const LoadedModel&>().model();
}

// The page's settings object as the text core's table reads: numbers as the CLI would print them,
// booleans as true/false, anything else as JS's String() of it (refused by the table, named).
app::Settings settings_of(const val& o) {
    app::Settings out;
    if (absent(o)) return out;
    const val keys = val::global("Object").call<val>("keys", o);
    const size_t n = keys["length"].as<size_t>();
    for (size_t i = 0; i < n; ++i) {
        const std::string key = keys[i].as<std::string>();
        const val v = o[key];
        if (absent(v)) continue;
        if (v.isString()) out[key] = v.as<std::string>();
        else if (v.isNumber()) out[key] = app::number_text(v.as<double>());
        else if (v.isTrue() || v.isFalse()) out[key] = v.isTrue() ? "true" : "false";
        else out[key] = val::global("String")(v).as<std::string>();
    }
    return out;
}

// Per reference cell: its type, "" = unlabelled; as `scpt annotate` reads --labels / --label-column.
std::vector<std::string> reference_labels(const Session& s, const std::string& role, const std::string& column,
                                          const std::string& data_name, std::vector<std::string>* warnings) {
    const CellMatrix& m = s.matrix(role);
    if (column.empty())
        throw InputError("give the reference's cell types: a labels file (barcode<TAB>label) or a metadata column");
    annotate::CellLabels l;
    if (const FileLabels* file = s.file_labels(role, column)) l = file->labels;
    else l = annotate::labels_from_column(m, column, data_name);
    warnings->insert(warnings->end(), l.warnings.begin(), l.warnings.end());
    return std::move(l.labels);
}

// request.onEpoch (a JS function, optional): called after every fine-tuning epoch with {epoch,
// loss, trainAccuracy, valAccuracy} (the teaching view's live curve; progress events are
// throttled, these are not); returning true stops the work (Cancelled). The MLP trains on the
// calling thread, so the function is called where it lives.
void watch_epochs(const val& options, annotate::AnnotateOptions& o) {
    if (!has(options, "onEpoch")) return;
    val cb = options["onEpoch"];
    if (cb.typeOf().as<std::string>() != "function") throw InputError("onEpoch must be a function");
    o.finetune.on_epoch = [cb](const train::FinetuneEpoch& e) {
        val x = val::object();
        x.set("epoch", e.epoch);
        x.set("loss", e.loss);
        x.set("trainAccuracy", e.train_accuracy);
        x.set("valAccuracy", e.val_accuracy);
        if (cb(x).isTrue()) throw Cancelled();
    };
}

val fit_summary(const annotate::FitSummary& f) {
    val o = val::object();
    o.set("classes", string_array(f.classes));
    val counts = val::array();
    int64_t labelled = 0;
    for (int64_t c : f.class_counts) {
        counts.call<void>("push", double(c));
        labelled += c;
    }
    o.set("classCounts", counts);
    o.set("labelled", double(labelled));
    o.set("mode", std::string(annotate::finetune_mode_name(f.mode)));
    o.set("hasModel", f.has_model);
    o.set("transform", std::string(transform_name(f.transform)));
    o.set("referenceTransform", f.reference_transform);
    o.set("genesUsed", double(f.genes_used));
    o.set("genesWithModel", double(f.genes_with_model));
    o.set("modelMatch", f.has_model ? f.reference_to_model.summary() : std::string());
    val epochs = val::array();
    for (const auto& e : f.log) {
        val x = val::object();
        x.set("epoch", e.epoch);
        x.set("loss", e.loss);
        x.set("valAccuracy", e.val_accuracy);
        x.set("trainAccuracy", e.train_accuracy);
        epochs.call<void>("push", x);
    }
    o.set("epochs", epochs);
    o.set("bestEpoch", f.best_epoch);
    o.set("bestValAccuracy", f.best_val_accuracy);
    o.set("trainCells", double(f.train_cells));
    o.set("valCells", double(f.val_cells));
    o.set("temperature", f.temperature);
    o.set("calibrationCells", double(f.calibration_cells));
    o.set("description", annotate::describe_fit(f));  // the sentence `scpt annotate` prints
    o.set("linearHead", f.linear_head);
    o.set("solverIterations", f.solver_iterations);
    o.set("encoderOutputs", double(f.encoder_outputs));
    o.set("referencePcs", double(f.reference_pcs));
    o.set("referenceGenes", double(f.reference_genes));
    o.set("seed", double(f.seed));
    o.set("unknown", std::string(annotate::unknown_rule_name(f.unknown_rule)));
    o.set("alpha", f.alpha);
    o.set("minProbability", f.min_probability);
    o.set("allGenes", !f.shared_genes_only);
    o.set("overClusters", double(f.over_clusters));  // majority voting's clusters (0: no vote)
    o.set("warnings", string_array(f.warnings));
    return o;
}

// The outcome as the page reads it (see annotate_api.hpp).
val outcome_js(const app::AnnotateOutcome& g, bool probabilities, bool embedding) {
    const annotate::Predictions& p = g.predictions;
    val out = val::object();
    out.set("flow", std::string(app::flow_name(g.flow)));
    out.set("cells", double(p.cells.size()));
    out.set("rows", copy_of(std::vector<int32_t>(p.cells.begin(), p.cells.end())));
    out.set("barcodes", join_lines(p.barcodes));
    out.set("label", copy_of(p.label));
    out.set("best", copy_of(p.best));
    out.set("confidence", copy_of(p.confidence));
    out.set("typicality", copy_of(p.typicality));
    out.set("classes", string_array(g.classes));
    if (probabilities && p.probabilities.size() > 0)
        out.set("probabilities", copy_of(p.probabilities.data(), size_t(p.probabilities.size())));
    if (!p.over_cluster.empty()) {  // majority voting: label is the vote, cellLabel the cell's own
        out.set("cellLabel", copy_of(p.cell_label));
        out.set("overCluster", copy_of(p.over_cluster));
    }
    out.set("dims", double(p.embedding.cols()));
    if (embedding) out.set("embedding", copy_of(p.embedding.data(), size_t(p.embedding.size())));
    out.set("queryGenes", p.genes.summary);
    out.set("queryTransform", p.transform);
    out.set("warnings", string_array(g.warnings));
    if (g.flow == app::Flow::Reference) out.set("fit", fit_summary(g.fit));
    if (g.flow == app::Flow::Classifier) {
        val c = val::object();
        c.set("name", g.classifier->name);
        c.set("description", g.classifier->description);
        c.set("genesMatched", double(p.genes.matched));
        c.set("genesTotal", double(p.genes.match.vocab_size));
        out.set("classifier", c);
    }
    if (g.flow == app::Flow::Groups) {
        val k = val::object();
        k.set("k", g.groups.k);
        val sizes = val::array();
        for (int64_t n : g.groups.sizes) sizes.call<void>("push", double(n));
        k.set("sizes", sizes);
        k.set("embedding", g.groups.embedding);
        k.set("notes", string_array(g.groups.notes));
        out.set("groups", k);
    }
    return out;
}

}  // namespace

val annotate(Session& s, val request, val model, val on_progress) {
    RunControl rc = s.begin(on_progress);
    app::AnnotateRequest r;
    r.settings = app::read_annotate_settings(settings_of(field(request, "settings")));
    r.model = model_of(model);
    r.model_named = flag_or(request, "modelNamed", false);
    r.keep_embedding = true;  // the map of the labelled cells
    watch_epochs(request, r.settings.options);
    const val names = field(request, "names");
    const std::string ref_role = text_or(request, "reference", ""), query_role = text_or(request, "query", "");
    const std::string column = text_or(request, "labelColumn", "");
    r.classifier = text_or(request, "classifier", "");
    r.reference_name = text_or(names, "reference", "the reference");
    r.query_name = text_or(names, "query", "your cells");
    r.model_name = text_or(names, "model", "the model");
    if (!ref_role.empty()) r.reference = &s.matrix(ref_role);
    if (!query_role.empty()) r.query = &s.matrix(query_role);
    if (r.reference && !column.empty()) {
        const FileLabels* file = s.file_labels(ref_role, column);
        r.labels_name = text_or(names, "labels", file ? file->name : r.reference_name + " column " + column);
        r.labels = reference_labels(s, ref_role, column, r.reference_name, &r.warnings);
    }
    app::AnnotateOutcome g = app::run_annotate(r, rc);
    val out = outcome_js(g, r.settings.probabilities, flag_or(request, "embedding", false));
    out.set("outcome", s.add_outcome(std::move(g), r.settings));
    return out;
}

val score_truth(const Session& s, int outcome, const std::string& role, const std::string& column) {
    const ObsColumn* c = s.matrix(role).find_obs(column);
    if (!c) throw InputError("the column " + column + " is not among the metadata of your cells");
    const app::TruthScore t = app::score_against_truth(s.outcome(outcome), *c);
    val out = val::object();
    out.set("column", t.column);
    out.set("named", t.named);
    out.set("cells", double(t.cells));
    out.set("assigned", double(t.assigned));
    out.set("accuracy", t.accuracy);
    out.set("accuracyAssigned", t.accuracy_assigned);
    out.set("macroF1", t.macro_f1);
    out.set("rows", string_array(t.rows));
    out.set("cols", string_array(t.cols));
    val counts = val::array();
    for (const auto& row : t.counts) {
        val r = val::array();
        for (int64_t n : row) r.call<void>("push", double(n));
        counts.call<void>("push", r);
    }
    out.set("counts", counts);
    return out;
}

std::string predictions_table(const Session& s, int outcome) {
    return app::predictions_table(s.outcome(outcome), s.outcome_settings(outcome));
}

val classifier_fit(Session& s, const std::string& role, val model) {
    val out = val::array();
    if (absent(model)) return out;
    annotate::ClassifierFitOptions o;
    o.data_name = "the " + role + " cells";
    for (const auto& f : annotate::classifier_fits(model.as<const LoadedModel&>().model(), s.matrix(role), o)) {
        const ReferenceClassifier& c = *model.as<const LoadedModel&>().model().find_classifier(f.name);
        val x = val::object();
        x.set("name", c.name);
        x.set("description", c.description);
        x.set("genes", double(f.genes));
        x.set("matched", double(f.matched));
        x.set("expressed", f.expressed);
        x.set("species", std::string(species_name(f.classifier_species)));
        x.set("dataSpecies", std::string(species_name(f.data_species)));
        x.set("speciesOk", f.species_ok);
        x.set("sampled", double(f.sampled));
        x.set("typical", f.typical_fraction);
        x.set("fits", f.fits);
        x.set("verdict", f.verdict);
        out.call<void>("push", x);
    }
    return out;
}

}  // namespace scpt::wasm

using emscripten::optional_override;
using emscripten::val;
using scpt::wasm::guarded;

EMSCRIPTEN_BINDINGS(scpt_annotate) {
    using scpt::wasm::Session;
    emscripten::function("annotate", optional_override([](Session& s, val request, val model, val on_progress) {
                             return guarded([&] { return scpt::wasm::annotate(s, request, model, on_progress); });
                         }));
    emscripten::function("predictionsTable", optional_override([](const Session& s, int outcome) {
                             return guarded([&] { return scpt::wasm::predictions_table(s, outcome); });
                         }));
    emscripten::function("commitOutcome", optional_override([](Session& s, int outcome) { s.commit_outcome(outcome); }));
    emscripten::function("discardOutcome", optional_override([](Session& s, int outcome) { s.discard_outcome(outcome); }));
    emscripten::function("scoreTruth", optional_override([](const Session& s, int outcome, std::string role, std::string column) {
                             return guarded([&] { return scpt::wasm::score_truth(s, outcome, role, column); });
                         }));
    emscripten::function("classifierFit", optional_override([](Session& s, std::string role, val model) {
                             return guarded([&] { return scpt::wasm::classifier_fit(s, role, model); });
                         }));
}
