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

namespace scpt::cli {

namespace {

struct AnnotateArgs {
    std::string transform = "cp10k_log1p";
    HeadArgs head;
    std::string reference, labels, label_column, query, out, out_h5ad, model, orthologs, finetune = "head", unknown = "query-typicality", typicality_space = "encoder";
    std::string classifier;
    CLI::Option* min_probability_option = nullptr;
    bool no_pretrained = false, probabilities = false, details = false, all_genes = false, allow_scaled = false;
    bool no_stream = false, no_map = false;
    bool majority_voting = false;
    int over_cluster_cells = annotate::MajorityVoteOptions{}.cells_per_cluster;
    int clusters = 0;
    int64_t chunk_cells = 4096;
    double alpha = 0.01, min_probability = 0.5;
    uint64_t seed = 0;
    int threads = 1;
    MatrixArgs read;
};

// The --out-h5ad destination, opened before the work so that an unwritable one fails first.
void open_h5ad(const AnnotateArgs& a, std::optional<native::AtomicFile>& f) {
    if (a.out_h5ad.empty()) return;
    if (a.out_h5ad == a.out) throw InputError("--out-h5ad " + a.out_h5ad + " is also --out: give the .h5ad another name");
    f.emplace(a.out_h5ad);
}

// --classifier NAME: a reference classifier shipped in the model labels the query; no reference.
void run_classifier(const AnnotateArgs& a, Context& ctx) {
    if (a.query.empty()) throw InputError("--classifier needs --query, the cells to label");
    if (!a.reference.empty() || !a.labels.empty() || !a.label_column.empty())
        throw InputError("--classifier labels the query with a classifier shipped in the model: it takes no "
                         "--reference or --labels (without --classifier, they train a new one)");
    if (a.no_pretrained) throw InputError("--classifier needs the model that holds it: drop --no-pretrained");
    native::AtomicFile out(a.out);
    std::optional<native::AtomicFile> h5ad;
    open_h5ad(a, h5ad);
    const auto t0 = std::chrono::steady_clock::now();
    ProgressLine line(ctx.quiet);
    RunControl rc = line.attach(ctx.control);
    rc.threads = a.threads;
    std::vector<std::string> warnings;
    ModelChoice mc = choose_model(a.model, false, &warnings);
    if (!mc.model) throw InputError("--classifier needs a model file, and none was found: pass --model FILE");
    annotate::ClassifierOptions o;
    o.allow_scaled = a.allow_scaled;
    o.data_name = a.query;
    o.keep_embedding = h5ad.has_value();
    if (a.min_probability_option && a.min_probability_option->count() > 0) o.min_probability = a.min_probability;
    const ReferenceClassifier* c = mc.model->find_classifier(a.classifier);
    if (!c)
        throw InputError("--classifier " + a.classifier + ": the model " + mc.path + " has no classifier of that name (it has: " +
                         annotate::classifier_names(*mc.model) + "; see scpt inspect)");
    const CellMatrix query = read_matrix(a.query, a.read, rc);
    // Asked for by name, so it runs; but a classifier made for other cells labels every cell with
    // its own types, and the user should hear so (the page pre-selects only one that fits).
    annotate::ClassifierFitOptions fo;
    fo.data_name = a.query;
    fo.allow_scaled = a.allow_scaled;
    const annotate::ClassifierFit fit = annotate::classifier_fit(*mc.model, *c, query, fo, rc);
    if (!fit.fits && fit.matched >= std::min<int64_t>(o.min_matched, fit.genes))
        warnings.push_back("classifier " + c->name + " does not fit " + a.query + ": " + fit.verdict +
                           ". Its labels are likely wrong for these cells: give a labelled reference of their kind "
                           "(--reference) instead");
    const annotate::Predictions p = annotate::predict_with_classifier(*mc.model, *c, query, o, rc);
    out.write(predictions_table(p, c->classes, a.probabilities, a.details));
    std::string h5ad_line;
    if (h5ad) h5ad_line = write_annotated_h5ad(*h5ad, {a.out_h5ad, a.seed, !a.no_map}, query, p, c->classes, rc);
    out.commit();
    line.finish();
    if (ctx.quiet) return;
    std::cerr << "classifier " << c->name << " of " << mc.path << ": " << c->classes.size() << " types\n";
    std::cerr << "query " << a.query << ": " << p.genes.summary << "; values: " << p.transform << "\n";
    std::map<int32_t, int64_t> count;
    for (int32_t l : p.label) ++count[l];
    std::cerr << "labelled " << p.cells.size() << " cells:";
    for (const auto& [l, n] : count) std::cerr << " " << (l < 0 ? std::string("Unassigned") : c->classes[size_t(l)]) << " " << n << ";";
    std::cerr << "\n";
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    for (const auto& w : p.warnings) std::cerr << "warning: " << w << "\n";
    if (!h5ad_line.empty()) std::cerr << h5ad_line << "\n";
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "wrote %s (%.1f s)\n", a.out.c_str(), secs);
}

// Neither a reference nor a classifier: the --query's cells grouped by K-means, the page's flow
// without labels, through the same core (core/app/group_cells.hpp).
void run_groups(const AnnotateArgs& a, Context& ctx) {
    if (!a.out_h5ad.empty()) throw InputError("--out-h5ad needs labels (--labels, --label-column or --classifier)");
    native::AtomicFile out(a.out);
    const auto t0 = std::chrono::steady_clock::now();
    ProgressLine line(ctx.quiet);
    RunControl rc = line.attach(ctx.control);
    rc.threads = a.threads;
    app::AnnotateRequest r;
    ModelChoice mc = choose_model(a.model, a.no_pretrained, &r.warnings);
    const std::string& path = a.query;
    const CellMatrix cells = read_matrix(path, a.read, rc);
    r.query = &cells;
    r.model = mc.model ? &*mc.model : nullptr;
    r.model_named = !a.model.empty();
    r.settings.options.seed = a.seed;
    r.settings.options.allow_scaled = a.allow_scaled;
    r.settings.clusters = a.clusters;
    r.reference_name = r.query_name = path;
    r.model_name = mc.path.empty() ? "the model" : mc.path;
    const app::AnnotateOutcome g = app::run_annotate(r, rc);
    out.write(app::predictions_table(g, r.settings));
    out.commit();
    line.finish();
    if (ctx.quiet) return;
    const app::Groups& k = g.groups;
    std::cerr << "no labels given: " << cells.n_cells << " cells of " << path << " grouped into " << k.k
              << " clusters by K-means on "
              << (k.embedding == "model" ? "the model's embedding" : "the principal components of their expression")
              << ". These are groups, not cell types: name them from their marker genes\n";
    for (const auto& n : k.notes) std::cerr << "note: " << n << "\n";
    for (const auto& w : g.warnings) std::cerr << "warning: " << w << "\n";
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "wrote %s (%.1f s)\n", a.out.c_str(), secs);
}

void run(const AnnotateArgs& a, Context& ctx) {
    if (!a.classifier.empty()) return run_classifier(a, ctx);
    // A query alone: nothing to train on and no classifier, so its cells are grouped (a reference
    // without labels is a forgotten --labels, and read_labels says so).
    if (a.reference.empty() && a.labels.empty() && a.label_column.empty() && !a.query.empty()) return run_groups(a, ctx);
    if (a.reference.empty())
        throw InputError("give --reference with --labels (labelled cells to train on), --classifier (one shipped in "
                         "the model), or only --query (its cells are grouped by K-means)");
    native::AtomicFile out(a.out);  // an unwritable destination fails before the work
    std::optional<native::AtomicFile> h5ad;
    open_h5ad(a, h5ad);
    const auto t0 = std::chrono::steady_clock::now();
    ProgressLine line(ctx.quiet);
    RunControl rc = line.attach(ctx.control);
    rc.threads = a.threads;
    std::vector<std::string> warnings;

    annotate::AnnotateOptions o;
    if (!annotate::parse_finetune_mode(a.finetune, o.mode) || o.mode == train::FinetuneMode::Scratch)
        throw InputError("--finetune must be head or full (for no pre-training: --no-pretrained)");
    if (!annotate::parse_unknown_rule(a.unknown, o.unknown.rule))
        throw InputError("--unknown must be query-typicality, typicality, probability, either or none");
    o.unknown.alpha = a.alpha;
    o.unknown.space = a.typicality_space == "head" ? annotate::DetectorSpace::Penultimate : annotate::DetectorSpace::Encoder;
    apply_head_options(a.head, o);
    o.unknown.min_probability = a.min_probability;
    o.seed = a.seed;
    parse_transform(a.transform, o.transform_without_model);
    o.shared_genes_only = !a.all_genes;
    o.allow_scaled = a.allow_scaled;
    o.majority_vote.enabled = a.majority_voting;
    o.majority_vote.cells_per_cluster = a.over_cluster_cells;
    o.keep_embedding = h5ad.has_value();
    // A model the user named must fit the data; only the default model steps aside with a warning.
    o.fall_back_without_model = a.model.empty();
    o.reference_name = a.reference;
    o.query_name = a.query.empty() ? a.reference : a.query;
    o.labels_name = a.labels.empty() ? a.reference + " column " + a.label_column : a.labels;

    const auto orth = read_orthologs(a.orthologs);
    if (orth) o.orthologs = &*orth;
    ModelChoice mc = choose_model(a.model, a.no_pretrained, &warnings);
    if (mc.model) o.model_name = mc.path;

    const CellMatrix reference = read_matrix(a.reference, a.read, rc);
    const std::vector<std::string> labels = read_labels(reference, a.reference, a.labels, a.label_column, &warnings);
    const Model* model = mc.model ? &*mc.model : nullptr;
    Labelled done;
    std::string h5ad_line;
    native::TenxPaths tenx;
    // Majority voting clusters the whole query at once, and the .h5ad holds all its cells: it is read whole.
    if (!a.query.empty() && !a.no_stream && !a.majority_voting && !h5ad && native::find_tenx_files(a.query, &tenx))
        done = annotate_streamed({a.query, a.probabilities, a.details, a.chunk_cells}, tenx, reference, labels, model, o,
                                 rc, out);
    if (!done.streamed) {
        CellMatrix query;
        if (!a.query.empty()) query = read_matrix(a.query, a.read, rc);
        annotate::AnnotateResult r;
        if (done.annotator) {  // fitted before the stream was refused: label the whole query with it
            r.fit = done.annotator->summary();
            r.predictions = done.annotator->predict(query, nullptr, o.query_name, rc);
        } else {
            annotate::AnnotateInput in;
            in.reference = &reference;
            in.labels = labels;
            in.query = a.query.empty() ? nullptr : &query;
            in.model = model;
            r = annotate::annotate(in, o, rc);
        }
        const annotate::Predictions& p = r.predictions;
        out.write(predictions_table(p, r.fit.classes, a.probabilities, a.details));
        if (h5ad)
            h5ad_line = write_annotated_h5ad(*h5ad, {a.out_h5ad, a.seed, !a.no_map}, a.query.empty() ? reference : query,
                                                  p, r.fit.classes, rc);
        done.fit = r.fit;
        done.cells = int64_t(p.cells.size());
        for (int32_t l : p.label) ++done.count[l];
        done.genes_summary = p.genes.summary;
        done.transform = p.transform;
        done.warnings = p.warnings;
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
    for (const auto& [l, n] : done.count) std::cerr << " " << (l < 0 ? std::string("Unassigned") : f.classes[size_t(l)]) << " " << n << ";";
    std::cerr << "\n";
    // Labelling the reference's own cells repeats the fit's warnings about its values: say each once.
    auto say_once = [&warnings](const std::vector<std::string>& more) {
        for (const auto& w : more)
            if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
    };
    say_once(f.warnings);
    say_once(done.warnings);
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    if (!h5ad_line.empty()) std::cerr << h5ad_line << "\n";
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "wrote %s (%.1f s)\n", a.out.c_str(), secs);
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
    sub->add_option("--query", a->query, "Cells to label (default: the reference's unlabelled cells)");
    sub->add_option("--out", a->out, "Predictions table to write (TSV: barcode, label, confidence)")->required();
    sub->add_option("--out-h5ad", a->out_h5ad,
                    "Also write the annotated cells as AnnData (.h5ad): X as read, obs scpretrain_label, _confidence, "
                    "_unassigned, _closest, _typicality, obsm X_scpretrain (embedding) and X_umap (the map); reads a "
                    "10x query whole");
    sub->add_flag("--no-map", a->no_map, "With --out-h5ad: leave out X_umap (the map: 1.5 s of 3.6 s for 2,170 cells, docs/ANNOTATE.md)");
    sub->add_option("--model", a->model, "Pre-trained model file (default: the shipped models/default.scpt)");
    sub->add_flag("--no-pretrained", a->no_pretrained, "Train the same network from scratch (scPretrain's baseline)");
    sub->add_option("--finetune", a->finetune, "head: train the classifier on the frozen pre-trained encoder (fast, "
                                               "default); full: train the encoder too (the paper's)")
        ->check(CLI::IsMember({"head", "full"}));
    sub->add_option("--orthologs", a->orthologs, "Human/mouse one-to-one ortholog table (reference and query of different species)");
    sub->add_option("--unknown", a->unknown, "When a cell is Unassigned: query-typicality (default: typicality on the query's own scale), typicality, probability, either, none")
        ->check(CLI::IsMember({"query-typicality", "typicality", "probability", "either", "none"}));
    sub->add_option("--typicality-space", a->typicality_space, "Where typicality is measured: encoder (the frozen "
                    "encoder's output, default) or head (what the classifier sees: with the linear head, the encoder's "
                    "outputs and the reference's PCs, standardised)")
        ->check(CLI::IsMember({"encoder", "head"}));
    sub->add_option("--alpha", a->alpha, "Typicality: p-value below which a cell is Unassigned (default 0.01)")
        ->check(CLI::Range(0.0, 1.0));
    a->min_probability_option =
        sub->add_option("--min-probability", a->min_probability,
                        "Probability: confidence below which a cell is Unassigned (default 0.5; with --classifier: its own)")
            ->check(CLI::Range(0.0, 1.0));
    sub->add_flag("--probabilities", a->probabilities, "Add one column per type with its probability");
    sub->add_flag("--details", a->details, "Add the most probable type (closest) and the typicality p-value");
    sub->add_flag("--all-genes", a->all_genes, "Train on every reference gene, not only those the query has");
    sub->add_flag("--allow-scaled", a->allow_scaled, "Accept z-scored values instead of refusing them");
    sub->add_option("--seed", a->seed, "Random seed (same seed and data: the same labels)");
    sub->add_option("--threads", a->threads, "Worker threads")->check(CLI::Range(1, 256));
    sub->add_flag("--majority-voting", a->majority_voting,
                  "Refine each cell's label by the majority of its over-cluster of the query (as CellTypist's "
                  "majority voting; adds the columns cell_label and over_cluster; reads the query whole)");
    sub->add_option("--over-cluster-cells", a->over_cluster_cells,
                    "Majority voting: cells per over-cluster the clustering aims at (default 20)")
        ->check(CLI::Range(1, 1 << 24));
    sub->add_option("--clusters", a->clusters, "Without --labels or --classifier: K-means groups of the cells "
                                               "(default 0: about the square root of cells / 20, 2 to 20)")
        ->check(CLI::Range(0, 20));
    sub->add_flag("--no-stream", a->no_stream, "Read a 10x query folder whole instead of a chunk of cells at a time");
    sub->add_option("--chunk-cells", a->chunk_cells, "Cells of a streamed query read and labelled at a time (default 4096)")
        ->check(CLI::Range(1, 1 << 24));
    add_head_options(sub, a->head);
    sub->add_option("--transform", a->transform, "Without a model: values the network is trained on, cp10k_log1p "
                                                  "(counts per 10k then log1p, default) or log1p (the paper's); "
                                                  "with a model: the model's")
        ->check(CLI::IsMember({"log1p", "cp10k_log1p"}));
    add_matrix_options(sub, a->read);
    sub->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace scpt::cli
