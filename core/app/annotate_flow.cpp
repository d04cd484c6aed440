#include "core/app/annotate_flow.hpp"

#include <algorithm>

#include "core/annotate/classifier_fit.hpp"
#include "core/annotate/stored_classifier.hpp"
#include "core/util/error.hpp"

namespace scpt::app {

void say_once(std::vector<std::string>& to, const std::vector<std::string>& more) {
    for (const auto& w : more)
        if (std::find(to.begin(), to.end(), w) == to.end()) to.push_back(w);
}

annotate::AnnotateOptions annotate_options(const AnnotateRequest& r) {
    annotate::AnnotateOptions o = r.settings.options;
    o.fall_back_without_model = !r.model_named;
    o.keep_embedding = r.keep_embedding;
    o.orthologs = r.orthologs;
    o.reference_name = r.reference_name;
    o.query_name = r.query ? r.query_name : r.reference_name;
    o.labels_name = r.labels_name;
    o.model_name = r.model_name;
    return o;
}

namespace {

void with_labels(const AnnotateRequest& r, const RunControl& rc, AnnotateOutcome& out) {
    annotate::AnnotateInput in;
    in.reference = r.reference;
    in.labels = r.labels;
    in.query = r.query;
    in.model = r.model;
    annotate::AnnotateResult a = annotate::annotate(in, annotate_options(r), rc);
    out.classes = a.fit.classes;
    out.predictions = std::move(a.predictions);
    // Labelling the reference's own cells repeats the fit's warnings about its values: once each.
    say_once(out.warnings, a.warnings);
    out.fit = std::move(a.fit);
}

void with_classifier(const AnnotateRequest& r, const CellMatrix& cells, const RunControl& rc, AnnotateOutcome& out) {
    if (!r.model) throw InputError("labelling with a reference classifier needs a model that carries one");
    const ReferenceClassifier* c = r.model->find_classifier(r.classifier);
    if (!c)
        throw InputError(r.model_name + " has no classifier named " + r.classifier + " (it has: " +
                         annotate::classifier_names(*r.model) + ")");
    const std::string& name = r.query ? r.query_name : r.reference_name;
    // Asked for by name, so it runs; but a classifier made for other cells labels every cell with
    // its own types, and the user should hear so (the page pre-selects only one that fits).
    annotate::ClassifierFitOptions fo;
    fo.data_name = name;
    fo.allow_scaled = r.settings.options.allow_scaled;
    const annotate::ClassifierFit fit = annotate::classifier_fit(*r.model, *c, cells, fo, rc);
    annotate::ClassifierOptions o;
    o.allow_scaled = fo.allow_scaled;
    o.data_name = name;
    o.keep_embedding = r.keep_embedding;
    if (r.settings.min_probability_given) o.min_probability = r.settings.options.unknown.min_probability;
    if (!fit.fits && fit.matched >= std::min<int64_t>(o.min_matched, fit.genes))
        out.warnings.push_back("classifier " + c->name + " does not fit " + name + ": " + fit.verdict +
                               ". Its labels are likely wrong for these cells: give a labelled reference of their "
                               "kind instead");
    out.predictions = annotate::predict_with_classifier(*r.model, *c, cells, o, rc);
    say_once(out.warnings, out.predictions.warnings);
    out.classes = c->classes;
    out.classifier = c;
}

void in_groups(const AnnotateRequest& r, const CellMatrix& cells, const RunControl& rc, AnnotateOutcome& out) {
    GroupOptions go;
    go.clusters = r.settings.clusters;
    go.seed = r.settings.options.seed;
    go.fall_back_without_model = !r.model_named;
    go.allow_scaled = r.settings.options.allow_scaled;
    go.data_name = r.query ? r.query_name : r.reference_name;
    go.model_name = r.model_name;
    out.groups = group_cells(cells, r.model, go, rc);
    annotate::Predictions& p = out.predictions;
    const int64_t n = cells.n_cells;
    p.cells.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i) p.cells[size_t(i)] = i;
    p.barcodes = cells.barcodes;
    p.label = out.groups.codes;
    p.best = out.groups.codes;
    p.genes.summary = out.groups.genes_summary;
    if (r.keep_embedding) p.embedding = out.groups.points;
    out.classes = out.groups.names;
}

}  // namespace

const char* flow_name(Flow f) {
    switch (f) {
        case Flow::Reference: return "reference";
        case Flow::Classifier: return "classifier";
        case Flow::Groups: return "groups";
    }
    return "?";
}

AnnotateOutcome run_annotate(const AnnotateRequest& r, const RunControl& rc) {
    AnnotateOutcome out;
    out.warnings = r.warnings;
    const bool labelled = r.reference && !r.labels.empty();
    if (labelled && !r.classifier.empty())
        throw InputError("give either the reference's labels (to train a classifier) or a classifier of the model, not both");
    if (labelled) {
        out.flow = Flow::Reference;
        with_labels(r, rc, out);
        return out;
    }
    const CellMatrix* cells = r.query ? r.query : r.reference;
    if (!cells) throw InputError("give the cells to label");
    out.flow = r.classifier.empty() ? Flow::Groups : Flow::Classifier;
    if (out.flow == Flow::Classifier) with_classifier(r, *cells, rc, out);
    else in_groups(r, *cells, rc, out);
    return out;
}

}  // namespace scpt::app
