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
#include "core/app/group_cells.hpp"
#include "core/data/gene_match.hpp"
#include "core/data/transform.hpp"
#include "core/model/model.hpp"
#include "wasm/cell_map_api.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/model_api.hpp"

namespace scpt::wasm {

using emscripten::val;

namespace {

bool has(const val& o, const char* key) { return !o.isUndefined() && !o.isNull() && !o[key].isUndefined() && !o[key].isNull(); }

std::string text(const val& o, const char* key, const std::string& fallback) {
    return has(o, key) && o[key].isString() ? o[key].as<std::string>() : fallback;
}

double number(const val& o, const char* key, double fallback) {
    return has(o, key) && o[key].isNumber() ? o[key].as<double>() : fallback;
}

bool flag(const val& o, const char* key, bool fallback) { return has(o, key) ? o[key].as<bool>() : fallback; }

const Model* model_of(const val& m) {
    if (m.isUndefined() || m.isNull()) return nullptr;
    return &m.as<const LoadedModel&>().model();
}

val strings(const std::vector<std::string>& v) {
    val a = val::array();
    for (const auto& x : v) a.call<void>("push", x);
    return a;
}

// A number option within [lo, hi] (whole when `whole`), or the fallback when absent; a value of
// another type or outside the range is an InputError naming the option, as the CLI's checks.
double number_in(const val& o, const char* key, double fallback, double lo, double hi, bool whole, const char* expected) {
    if (!has(o, key)) return fallback;
    const double x = o[key].isNumber() ? o[key].as<double>() : std::nan("");
    if (!(x >= lo && x <= hi) || (whole && x != std::floor(x))) throw InputError(std::string(key) + " must be " + expected);
    return x;
}

std::string choice(const val& o, const char* key, const std::string& fallback, const char* allowed) {
    if (!has(o, key)) return fallback;
    if (!o[key].isString()) throw InputError(std::string(key) + " must be one of " + allowed);
    return o[key].as<std::string>();
}

bool boolean(const val& o, const char* key, bool fallback) {
    if (!has(o, key)) return fallback;
    if (!o[key].isTrue() && !o[key].isFalse()) throw InputError(std::string(key) + " must be true or false");
    return o[key].isTrue();
}

// The options of `scpt annotate` (tools/scpt/cmd_annotate.cpp), from the page's object.
annotate::AnnotateOptions read_options(const val& o) {
    annotate::AnnotateOptions a;
    if (!annotate::parse_finetune_mode(choice(o, "finetune", "head", "head, full"), a.mode) ||
        a.mode == train::FinetuneMode::Scratch)
        throw InputError("finetune must be head or full (for no pre-training: no model)");
    if (!annotate::parse_unknown_rule(choice(o, "unknown", "query-typicality", "query-typicality, typicality, probability, either, none"), a.unknown.rule))
        throw InputError("unknown must be query-typicality, typicality, probability, either or none");
    a.unknown.alpha = number_in(o, "alpha", a.unknown.alpha, 0, 1, false, "a number from 0 to 1");
    a.unknown.min_probability = number_in(o, "minProbability", a.unknown.min_probability, 0, 1, false, "a number from 0 to 1");
    const std::string head = choice(o, "head", "linear", "linear, mlp");
    if (head != "linear" && head != "mlp") throw InputError("head must be linear or mlp");
    a.head_classifier = head == "mlp" ? annotate::AnnotateOptions::HeadClassifier::Mlp
                                      : annotate::AnnotateOptions::HeadClassifier::Linear;
    a.reference_pcs = int(number_in(o, "referencePcs", a.reference_pcs, 0, 500, true, "a whole number from 0 to 500"));
    a.reference_genes = int(number_in(o, "referenceGenes", a.reference_genes, 0, 5000, true, "a whole number from 0 to 5000"));
    a.seed = uint64_t(number_in(o, "seed", 0, 0, 9.0e15, true, "a whole number >= 0"));
    // Core's parser and the CLI's default (cp10k_log1p): "log1p" used to be read as "keep the default".
    if (!parse_transform(choice(o, "transform", transform_name(a.transform_without_model), "log1p, cp10k_log1p"),
                         a.transform_without_model))
        throw InputError("transform must be log1p or cp10k_log1p");
    a.shared_genes_only = !boolean(o, "allGenes", false);
    a.allow_scaled = boolean(o, "allowScaled", false);
    a.fall_back_without_model = boolean(o, "fallBackWithoutModel", true);
    return a;
}

// Per reference cell: its type, "" = unlabelled; as `scpt annotate` reads --labels / --label-column.
std::vector<std::string> reference_labels(const Session& s, const std::string& role, const std::string& column,
                                          const std::string& data_name, std::vector<std::string>* warnings) {
    const CellMatrix& m = s.matrix(role);
    if (column.empty())
        throw InputError("give the reference's cell types: a labels file (barcode<TAB>label) or a metadata column");
    annotate::CellLabels l;
    if (const LabelRows* rows = s.label_rows(role, column)) l = annotate::labels_for_cells(m.barcodes, rows->rows, rows->name, data_name);
    else l = annotate::labels_from_column(m, column, data_name);
    warnings->insert(warnings->end(), l.warnings.begin(), l.warnings.end());
    return std::move(l.labels);
}

// options.onEpoch (a JS function, optional): called after every fine-tuning epoch with {epoch,
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
    o.set("classes", strings(f.classes));
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
    o.set("warnings", strings(f.warnings));
    return o;
}

void keep_embedding(Session& s, const nn::Matrix& h) {
    Embedding e;
    e.cells = h.rows();
    e.dims = int(h.cols());
    e.values.assign(h.data(), h.data() + h.size());
    s.put_embedding("predicted", std::move(e));
}

// What annotateCells and classifyCells return alike: per predicted cell its row, barcode, label
// (-1 = Unassigned), best type, confidence and typicality, the classes, and on request the
// probabilities and the embedding; the embedding also stays in the session for the map.
val predictions_js(Session& s, const annotate::Predictions& p, const std::vector<std::string>& classes,
                   const std::vector<std::string>& warnings, const val& options) {
    keep_embedding(s, p.embedding);
    val out = val::object();
    out.set("cells", double(p.cells.size()));
    out.set("rows", copy_of(std::vector<int32_t>(p.cells.begin(), p.cells.end())));
    out.set("barcodes", join_lines(p.barcodes));
    out.set("label", copy_of(p.label));
    out.set("best", copy_of(p.best));
    out.set("confidence", copy_of(p.confidence));
    out.set("typicality", copy_of(p.typicality));
    out.set("classes", strings(classes));
    if (flag(options, "probabilities", false)) out.set("probabilities", copy_of(p.probabilities.data(), size_t(p.probabilities.size())));
    out.set("dims", double(p.embedding.cols()));
    if (flag(options, "embedding", false)) out.set("embedding", copy_of(p.embedding.data(), size_t(p.embedding.size())));
    out.set("queryGenes", p.genes.summary);
    out.set("queryTransform", p.transform);
    out.set("warnings", strings(warnings));
    return out;
}

}  // namespace

val annotate_cells(Session& s, val options, val model, val on_progress) {
    RunControl rc = s.begin(on_progress);
    annotate::AnnotateOptions o = read_options(options);
    o.keep_embedding = true;  // the map of the predicted cells
    watch_epochs(options, o);
    const std::string ref_role = text(options, "reference", "reference");
    const std::string query_role = text(options, "query", "");
    o.reference_name = text(options, "referenceName", "the reference");
    o.query_name = query_role.empty() ? o.reference_name : text(options, "queryName", "the query");
    const std::string column = text(options, "labelColumn", "");
    const LabelRows* file = s.label_rows(ref_role, column);
    o.labels_name = text(options, "labelsName", file ? file->name : o.reference_name + " column " + column);
    o.model_name = text(options, "modelName", "the model");

    std::vector<std::string> warnings;
    annotate::AnnotateInput in;
    in.reference = &s.matrix(ref_role);
    in.labels = reference_labels(s, ref_role, column, o.reference_name, &warnings);
    if (!query_role.empty()) in.query = &s.matrix(query_role);
    in.model = model_of(model);
    annotate::AnnotateResult r = annotate::annotate(in, o, rc);
    // Labelling the reference's own cells repeats the fit's warnings about its values: say each once.
    for (const auto& w : r.warnings)
        if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
    val out = predictions_js(s, r.predictions, r.fit.classes, warnings, options);
    out.set("fit", fit_summary(r.fit));
    return out;
}

val cluster_cells(Session& s, const std::string& role, val model, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    app::GroupOptions go;
    go.clusters = int(std::max(0.0, number(options, "k", 0)));
    go.seed = uint64_t(std::max(0.0, number(options, "seed", 0)));
    go.fall_back_without_model = flag(options, "fallBackWithoutModel", true);
    go.data_name = "the " + role + " cells";
    const app::Groups g = app::group_cells(s.matrix(role), model_of(model), go, rc);
    keep_embedding(s, g.points);
    val out = val::object();
    out.set("cells", double(g.codes.size()));
    out.set("k", g.k);
    out.set("codes", copy_of(g.codes));
    val sizes = val::array();
    for (int64_t n : g.sizes) sizes.call<void>("push", double(n));
    out.set("sizes", sizes);
    out.set("embedding", g.embedding);
    out.set("notes", strings(g.notes));
    return out;
}

val classify_cells(Session& s, const std::string& role, val model, const std::string& name, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    if (model.isUndefined() || model.isNull()) throw InputError("labelling with a reference classifier needs a model that carries one");
    const Model& md = model.as<const LoadedModel&>().model();
    const ReferenceClassifier* c = md.find_classifier(name);
    if (!c)
        throw InputError("the model has no classifier named " + name + " (it has: " + annotate::classifier_names(md) + ")");
    annotate::ClassifierOptions o;
    o.keep_embedding = true;  // the map of the labelled cells
    o.data_name = text(options, "dataName", "your cells");
    o.allow_scaled = flag(options, "allowScaled", false);
    o.min_probability = number(options, "minProbability", o.min_probability);
    const annotate::Predictions p = annotate::predict_with_classifier(md, *c, s.matrix(role), o, rc);
    val out = predictions_js(s, p, c->classes, p.warnings, options);
    out.set("genesMatched", double(p.genes.matched));
    out.set("genesTotal", double(p.genes.match.vocab_size));
    out.set("classifier", c->name);
    out.set("description", c->description);
    return out;
}

val classifier_fit(Session& s, const std::string& role, val model) {
    val out = val::array();
    if (model.isUndefined() || model.isNull()) return out;
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
    emscripten::function("annotateCells", optional_override([](Session& s, val options, val model, val on_progress) {
                             return guarded([&] { return scpt::wasm::annotate_cells(s, options, model, on_progress); });
                         }));
    emscripten::function("clusterCells",
                         optional_override([](Session& s, std::string role, val model, val options, val on_progress) {
                             return guarded([&] { return scpt::wasm::cluster_cells(s, role, model, options, on_progress); });
                         }));
    emscripten::function("classifyCells", optional_override([](Session& s, std::string role, val model, std::string name,
                                                               val options, val on_progress) {
                             return guarded([&] { return scpt::wasm::classify_cells(s, role, model, name, options, on_progress); });
                         }));
    emscripten::function("classifierFit", optional_override([](Session& s, std::string role, val model) {
                             return guarded([&] { return scpt::wasm::classifier_fit(s, role, model); });
                         }));
}
