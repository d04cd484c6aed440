// scpt annotate: fine-tune on the labelled cells of a reference and label the query's cells (or
// the reference's own unlabelled cells) with a confidence, Unassigned for cells unlike every
// reference type (core/annotate/annotate.hpp). Writes PRED.tsv atomically; a summary on stderr.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>

#include "core/annotate/classifier_fit.hpp"
#include "core/annotate/evaluate.hpp"
#include "core/annotate/fit_description.hpp"
#include "core/annotate/stored_classifier.hpp"
#include "core/app/annotate_flow.hpp"
#include "core/app/predictions_table.hpp"
#include "tools/native/files.hpp"
#include "tools/scpt/annotate_inputs.hpp"
#include "tools/scpt/annotate_stream.hpp"
#include "tools/scpt/commands.hpp"
#include "tools/scpt/h5ad_out.hpp"
#include "tools/scpt/progress_line.hpp"
#include "tools/scpt/settings_flags.hpp"

namespace scpt::cli {

namespace {

struct AnnotateArgs {
    // The options of core/app/annotate_settings.hpp (--finetune, --alpha, ...), as given: read and
    // checked by the table, as the page's.
    app::Settings given;
    std::string reference, labels, label_column, query, out, out_h5ad, model, orthologs, classifier;
    bool no_stream = false, no_map = false;
    int64_t chunk_cells = 4096;
    int threads = 1;
    MatrixArgs read;
};

// The --out-h5ad destination, opened before the work so that an unwritable one fails first.
void open_h5ad(const AnnotateArgs& a, std::optional<native::AtomicFile>& f) {
    if (a.out_h5ad.empty()) return;
    if (a.out_h5ad == a.out) throw InputError("--out-h5ad " + a.out_h5ad + " is also --out: give the .h5ad another name");
    f.emplace(a.out_h5ad);
}

void print_counts(const std::map<int32_t, int64_t>& count, const std::vector<std::string>& classes) {
    for (const auto& [l, n] : count) std::cerr << " " << (l < 0 ? std::string("Unassigned") : classes[size_t(l)]) << " " << n << ";";
    std::cerr << "\n";
}

std::map<int32_t, int64_t> label_counts(const annotate::Predictions& p) {
    std::map<int32_t, int64_t> count;
    for (int32_t l : p.label) ++count[l];
    return count;
}

void print_time(const AnnotateArgs& a, std::chrono::steady_clock::time_point t0) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "wrote %s (%.1f s)\n", a.out.c_str(), secs);
}

// What every flow's request shares: the settings, the model and the names.
app::AnnotateRequest base_request(const AnnotateArgs& a, const app::AnnotateSettings& s, ModelChoice& mc) {
    app::AnnotateRequest r;
    r.settings = s;
    mc = choose_model(a.model, s.no_pretrained, &r.warnings);
    r.model = mc.model ? &*mc.model : nullptr;
    // A model the user named must fit the data; only the default model steps aside with a warning.
    r.model_named = !a.model.empty();
    r.model_name = mc.path.empty() ? "the model" : mc.path;
    r.reference_name = a.reference.empty() ? a.query : a.reference;
    r.query_name = a.query.empty() ? r.reference_name : a.query;
    r.labels_name = a.labels.empty() ? a.reference + " column " + a.label_column : a.labels;
    return r;
}

// What every flow opens first: its destinations (an unwritable one fails before the work), the
// clock, the progress line and the request's shared part.
struct Flow {
    native::AtomicFile out;
    std::optional<native::AtomicFile> h5ad;
    const std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    ProgressLine line;
    RunControl rc;
    ModelChoice mc;
    app::AnnotateRequest req;

    Flow(const AnnotateArgs& a, const app::AnnotateSettings& s, Context& ctx)
        : out(a.out), line(ctx.quiet), rc(line.attach(ctx.control)) {
        open_h5ad(a, h5ad);
        rc.threads = a.threads;
        req = base_request(a, s, mc);
    }
};

// --classifier NAME: a reference classifier shipped in the model labels the query; no reference.
void run_classifier(const AnnotateArgs& a, const app::AnnotateSettings& s, Context& ctx) {
    if (a.query.empty()) throw InputError("--classifier needs --query, the cells to label");
    if (!a.reference.empty() || !a.labels.empty() || !a.label_column.empty())
        throw InputError("--classifier labels the query with a classifier shipped in the model: it takes no "
                         "--reference or --labels (without --classifier, they train a new one)");
    if (s.no_pretrained) throw InputError("--classifier needs the model that holds it: drop --no-pretrained");
    Flow flow(a, s, ctx);
    auto& [out, h5ad, t0, line, rc, mc, r] = flow;
    if (!mc.model) throw InputError("--classifier needs a model file, and none was found: pass --model FILE");
    if (!mc.model->find_classifier(a.classifier))
        throw InputError("--classifier " + a.classifier + ": the model " + mc.path + " has no classifier of that name (it has: " +
                         annotate::classifier_names(*mc.model) + "; see scpt inspect)");
    const CellMatrix query = read_matrix(a.query, a.read, rc);
    r.query = &query;
    r.classifier = a.classifier;
    r.keep_embedding = h5ad.has_value();
    const app::AnnotateOutcome g = app::run_annotate(r, rc);
    const annotate::Predictions& p = g.predictions;
    out.write(app::predictions_table(g, s));
    std::string h5ad_line;
    if (h5ad) h5ad_line = write_annotated_h5ad(*h5ad, {a.out_h5ad, s.options.seed, !a.no_map}, query, p, g.classes, rc);
    out.commit();
    line.finish();
    if (ctx.quiet) return;
    std::cerr << "classifier " << g.classifier->name << " of " << mc.path << ": " << g.classes.size() << " types\n";
    std::cerr << "query " << a.query << ": " << p.genes.summary << "; values: " << p.transform << "\n";
    std::cerr << "labelled " << p.cells.size() << " cells:";
    print_counts(label_counts(p), g.classes);
    for (const auto& w : g.warnings) std::cerr << "warning: " << w << "\n";
    if (!h5ad_line.empty()) std::cerr << h5ad_line << "\n";
    print_time(a, t0);
}

// Neither a reference nor a classifier: the --query's cells grouped by K-means, the page's flow
// without labels, through the same core (core/app/group_cells.hpp).
void run_groups(const AnnotateArgs& a, const app::AnnotateSettings& s, Context& ctx) {
    if (!a.out_h5ad.empty()) throw InputError("--out-h5ad needs labels (--labels, --label-column or --classifier)");
    Flow flow(a, s, ctx);
    auto& [out, h5ad, t0, line, rc, mc, r] = flow;
    const CellMatrix cells = read_matrix(a.query, a.read, rc);
    r.query = &cells;
    const app::AnnotateOutcome g = app::run_annotate(r, rc);
    out.write(app::predictions_table(g, r.settings));
    out.commit();
    line.finish();
    if (ctx.quiet) return;
    const app::Groups& k = g.groups;
    std::cerr << "no labels given: " << cells.n_cells << " cells of " << a.query << " grouped into " << k.k
              << " clusters by K-means on "
              << (k.embedding == "model" ? "the model's embedding" : "the principal components of their expression")
              << ". These are groups, not cell types: name them from their marker genes\n";
    for (const auto& n : k.notes) std::cerr << "note: " << n << "\n";
    for (const auto& w : g.warnings) std::cerr << "warning: " << w << "\n";
    print_time(a, t0);
}

void run(const AnnotateArgs& a, Context& ctx) {
    const app::AnnotateSettings s = app::read_annotate_settings(a.given, "--");
    if (!a.classifier.empty()) return run_classifier(a, s, ctx);
    // A query alone: nothing to train on and no classifier, so its cells are grouped (a reference
    // without labels is a forgotten --labels, and read_labels says so).
    if (a.reference.empty() && a.labels.empty() && a.label_column.empty() && !a.query.empty()) return run_groups(a, s, ctx);
    if (a.reference.empty())
        throw InputError("give --reference with --labels (labelled cells to train on), --classifier (one shipped in "
                         "the model), or only --query (its cells are grouped by K-means)");
    Flow flow(a, s, ctx);
    auto& [out, h5ad, t0, line, rc, mc, req] = flow;
    const auto orth = read_orthologs(a.orthologs);
    if (orth) req.orthologs = &*orth;
    req.keep_embedding = h5ad.has_value();
    const CellMatrix reference = read_matrix(a.reference, a.read, rc);
    req.reference = &reference;
    req.labels = read_labels(reference, a.reference, a.labels, a.label_column, &req.warnings);
    Labelled done;
    std::string h5ad_line;
    native::TenxPaths tenx;
    // Majority voting clusters the whole query at once, and the .h5ad holds all its cells: it is read whole.
    if (!a.query.empty() && !a.no_stream && !s.options.majority_vote.enabled && !h5ad && native::find_tenx_files(a.query, &tenx)) {
        annotate::AnnotateOptions o = app::annotate_options(req);
        o.query_name = a.query;
        done = annotate_streamed({a.query, s.probabilities, s.details, a.chunk_cells}, tenx, reference, req.labels,
                                 req.model, o, rc, out);
    }
    std::vector<std::string> warnings = req.warnings;
    if (!done.streamed) {
        CellMatrix query;
        if (!a.query.empty()) query = read_matrix(a.query, a.read, rc);
        req.query = a.query.empty() ? nullptr : &query;
        app::AnnotateOutcome g;
        if (done.stream) {  // fitted before the stream was refused: label the whole query with it
            g.fit = done.stream->fit();
            g.classes = g.fit.classes;
            g.predictions = done.stream->annotator().predict(query, nullptr, req.query_name, rc);
            g.warnings = req.warnings;
            app::say_once(g.warnings, g.fit.warnings);
            app::say_once(g.warnings, g.predictions.warnings);
        } else {
            g = app::run_annotate(req, rc);
        }
        const annotate::Predictions& p = g.predictions;
        out.write(app::predictions_table(g, s));
        if (h5ad)
            h5ad_line = write_annotated_h5ad(*h5ad, {a.out_h5ad, s.options.seed, !a.no_map},
                                             a.query.empty() ? reference : query, p, g.classes, rc);
        done.fit = g.fit;
        done.cells = int64_t(p.cells.size());
        done.count = label_counts(p);
        done.genes_summary = p.genes.summary;
        done.transform = p.transform;
        warnings = g.warnings;
    } else {
        app::say_once(warnings, done.fit.warnings);
        app::say_once(warnings, done.warnings);
    }
    out.commit();
    line.finish();
    if (ctx.quiet) return;

    const auto& f = done.fit;
    int64_t labelled = 0;
    for (int64_t c : f.class_counts) labelled += c;
    std::cerr << "reference " << a.reference << ": " << reference.n_cells << " cells, " << labelled
              << " labelled with " << f.classes.size() << " types; values: " << f.reference_transform << "\n";
    if (f.has_model) std::cerr << "model " << mc.path << ": " << f.reference_to_model.summary() << "\n";
    else if (f.mode == train::FinetuneMode::Head)
        std::cerr << "no pre-trained model: logistic regression on the reference's principal components\n";
    else std::cerr << "no pre-trained model: the network is trained from scratch\n";
    if (!a.query.empty())
        std::cerr << "query " << a.query << (done.streamed ? " (streamed)" : "") << ": " << done.genes_summary
                  << "; values: " << done.transform << "\n";
    std::cerr << "fine-tuning, " << annotate::describe_fit(f) << "\n";
    std::cerr << "labelled " << done.cells << " cells";
    if (f.over_clusters > 0) std::cerr << " (majority vote over " << f.over_clusters << " over-clusters of the query)";
    std::cerr << ":";
    print_counts(done.count, f.classes);
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    if (!h5ad_line.empty()) std::cerr << h5ad_line << "\n";
    print_time(a, t0);
}

}  // namespace

void add_annotate(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<AnnotateArgs>();
    auto* sub = app.add_subcommand(
        "annotate", "Fine-tune on labelled reference cells and label the query's cells (or the reference's unlabelled ones)");
    sub->add_option("--reference", a->reference, "Cells with known types: 10x folder, .h5, .h5ad, .loom, .mtx, CSV/TSV");
    sub->add_option("--classifier", a->classifier, "Label --query with a reference classifier shipped in the model "
                                                   "(no --reference needed; scpt inspect lists them)");
    sub->add_option("--labels", a->labels, "Labels file: barcode<TAB>label per line (header optional); cells without a "
                                           "label (or labelled NA, Unassigned) are predicted");
    sub->add_option("--label-column", a->label_column,
                    "The reference's metadata column holding the types (with --labels: the labels file's column)");
    sub->add_option("--query", a->query, "Cells to label (default: the reference's unlabelled cells; alone: grouped by K-means)");
    sub->add_option("--out", a->out, "Predictions table to write (TSV: barcode, label, confidence)")->required();
    sub->add_option("--out-h5ad", a->out_h5ad,
                    "Also write the annotated cells as AnnData (.h5ad): X as read, obs scpretrain_label, _confidence, "
                    "_unassigned, _closest, _typicality, obsm X_scpretrain (embedding) and X_umap (the map); reads a "
                    "10x query whole");
    sub->add_flag("--no-map", a->no_map, "With --out-h5ad: leave out X_umap (the map: 1.5 s of 3.6 s for 2,170 cells, docs/ANNOTATE.md)");
    sub->add_option("--model", a->model, "Pre-trained model file (default: the shipped models/default.scpt)");
    sub->add_option("--orthologs", a->orthologs, "Human/mouse one-to-one ortholog table (reference and query of different species)");
    // The options the page takes too, from one table (core/app/annotate_settings.hpp).
    add_setting_flags(sub, app::annotate_setting_specs(), a->given);
    sub->add_option("--threads", a->threads, "Worker threads")->check(CLI::Range(1, 256));
    sub->add_flag("--no-stream", a->no_stream, "Read a 10x query folder whole instead of a chunk of cells at a time");
    sub->add_option("--chunk-cells", a->chunk_cells, "Cells of a streamed query read and labelled at a time (default 4096)")
        ->check(CLI::Range(1, 1 << 24));
    add_matrix_options(sub, a->read);
    sub->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace scpt::cli
