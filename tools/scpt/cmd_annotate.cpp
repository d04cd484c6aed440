// scpt annotate: fine-tune on the labelled cells of a reference and label the query's cells (or
// the reference's own unlabelled cells) with a confidence, Unassigned for cells unlike every
// reference type (core/annotate/annotate.hpp). Writes PRED.tsv atomically; a summary on stderr.
#include <chrono>
#include <iostream>
#include <map>

#include "core/annotate/evaluate.hpp"
#include "tools/native/files.hpp"
#include "tools/scpt/annotate_inputs.hpp"
#include "tools/scpt/commands.hpp"
#include "tools/scpt/progress_line.hpp"

namespace scpt::cli {

namespace {

struct AnnotateArgs {
    std::string transform = "cp10k_log1p";
    std::string head = "linear";
    int reference_pcs = 50;
    std::string reference, labels, label_column, query, out, model, orthologs, finetune = "head", unknown = "typicality";
    bool no_pretrained = false, probabilities = false, details = false, all_genes = false, allow_scaled = false;
    double alpha = 0.01, min_probability = 0.5;
    uint64_t seed = 0;
    int threads = 1;
    MatrixArgs read;
};

void run(const AnnotateArgs& a, Context& ctx) {
    native::AtomicFile out(a.out);  // an unwritable destination fails before the work
    const auto t0 = std::chrono::steady_clock::now();
    ProgressLine line(ctx.quiet);
    RunControl rc = line.attach(ctx.control);
    rc.threads = a.threads;
    std::vector<std::string> warnings;

    annotate::AnnotateOptions o;
    if (!annotate::parse_finetune_mode(a.finetune, o.mode) || o.mode == train::FinetuneMode::Scratch)
        throw InputError("--finetune must be head or full (for no pre-training: --no-pretrained)");
    if (!annotate::parse_unknown_rule(a.unknown, o.unknown.rule))
        throw InputError("--unknown must be none, probability, typicality or either");
    o.unknown.alpha = a.alpha;
    o.head_classifier = a.head == "mlp" ? annotate::AnnotateOptions::HeadClassifier::Mlp
                                              : annotate::AnnotateOptions::HeadClassifier::Linear;
    o.reference_pcs = a.reference_pcs;
    o.unknown.min_probability = a.min_probability;
    o.seed = a.seed;
    parse_transform(a.transform, o.transform_without_model);
    o.shared_genes_only = !a.all_genes;
    o.allow_scaled = a.allow_scaled;
    // A model the user named must fit the data; only the default model steps aside with a warning.
    o.fall_back_without_model = a.model.empty();
    o.reference_name = a.reference;
    o.query_name = a.query.empty() ? a.reference : a.query;
    o.labels_name = a.labels.empty() ? a.reference + " column " + a.label_column : a.labels;

    const auto orth = read_orthologs(a.orthologs);
    if (orth) o.orthologs = &*orth;
    ModelChoice mc = choose_model(a.model, a.no_pretrained, &warnings);
    if (mc.model) o.model_name = mc.path;

    annotate::AnnotateInput in;
    const CellMatrix reference = read_matrix(a.reference, a.read, rc);
    in.reference = &reference;
    in.labels = read_labels(reference, a.reference, a.labels, a.label_column, &warnings);
    CellMatrix query;
    if (!a.query.empty()) {
        query = read_matrix(a.query, a.read, rc);
        in.query = &query;
    }
    in.model = mc.model ? &*mc.model : nullptr;
    annotate::AnnotateResult r = annotate::annotate(in, o, rc);
    const annotate::Predictions& p = r.predictions;
    out.write(predictions_table(p, r.fit.classes, a.probabilities, a.details));
    out.commit();
    line.finish();
    if (ctx.quiet) return;

    const auto& f = r.fit;
    int64_t labelled = 0;
    for (int64_t c : f.class_counts) labelled += c;
    std::cerr << "reference " << a.reference << ": " << reference.n_cells << " cells, " << labelled
              << " labelled with " << f.classes.size() << " types; values: " << f.reference_transform << "\n";
    if (f.has_model) std::cerr << "model " << mc.path << ": " << f.reference_to_model.summary() << "\n";
    else if (f.mode == train::FinetuneMode::Head)
        std::cerr << "no pre-trained model: logistic regression on the reference's principal components\n";
    else std::cerr << "no pre-trained model: the network is trained from scratch\n";
    if (in.query) std::cerr << "query " << a.query << ": " << p.genes.summary << "; values: " << p.transform << "\n";
    std::cerr << "fine-tuning (" << annotate::finetune_mode_name(f.mode) << ", " << f.genes_used << " genes): "
              << f.log.size() << " epochs, best validation accuracy " << f.best_val_accuracy << " at epoch "
              << f.best_epoch << " (" << f.train_cells << " training, " << f.val_cells << " validation cells)\n";
    std::map<int32_t, int64_t> count;
    for (int32_t l : p.label) ++count[l];
    std::cerr << "labelled " << p.cells.size() << " cells:";
    for (const auto& [l, n] : count) std::cerr << " " << (l < 0 ? std::string("Unassigned") : f.classes[size_t(l)]) << " " << n << ";";
    std::cerr << "\n";
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "wrote %s (%.1f s)\n", a.out.c_str(), secs);
}

}  // namespace

void add_annotate(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<AnnotateArgs>();
    auto* sub = app.add_subcommand(
        "annotate", "Fine-tune on labelled reference cells and label the query's cells (or the reference's unlabelled ones)");
    sub->add_option("--reference", a->reference, "Cells with known types: 10x folder, .h5, .h5ad, .loom, .mtx, CSV/TSV")
        ->required();
    sub->add_option("--labels", a->labels, "Labels file: barcode<TAB>label per line (header optional); cells without a "
                                           "label (or labelled NA, Unassigned) are predicted");
    sub->add_option("--label-column", a->label_column,
                    "The reference's metadata column holding the types (with --labels: the labels file's column)");
    sub->add_option("--query", a->query, "Cells to label (default: the reference's unlabelled cells)");
    sub->add_option("--out", a->out, "Predictions table to write (TSV: barcode, label, confidence)")->required();
    sub->add_option("--model", a->model, "Pre-trained model file (default: the shipped models/default.scpt)");
    sub->add_flag("--no-pretrained", a->no_pretrained, "Train the same network from scratch (scPretrain's baseline)");
    sub->add_option("--finetune", a->finetune, "head: train the classifier on the frozen pre-trained encoder (fast, "
                                               "default); full: train the encoder too (the paper's)")
        ->check(CLI::IsMember({"head", "full"}));
    sub->add_option("--orthologs", a->orthologs, "Human/mouse one-to-one ortholog table (reference and query of different species)");
    sub->add_option("--unknown", a->unknown, "When a cell is Unassigned: typicality (default), probability, either, none")
        ->check(CLI::IsMember({"none", "probability", "typicality", "either"}));
    sub->add_option("--alpha", a->alpha, "Typicality: p-value below which a cell is Unassigned (default 0.01)")
        ->check(CLI::Range(0.0, 1.0));
    sub->add_option("--min-probability", a->min_probability, "Probability: confidence below which a cell is Unassigned (default 0.5)")
        ->check(CLI::Range(0.0, 1.0));
    sub->add_flag("--probabilities", a->probabilities, "Add one column per type with its probability");
    sub->add_flag("--details", a->details, "Add the most probable type (closest) and the typicality p-value");
    sub->add_flag("--all-genes", a->all_genes, "Train on every reference gene, not only those the query has");
    sub->add_flag("--allow-scaled", a->allow_scaled, "Accept z-scored values instead of refusing them");
    sub->add_option("--seed", a->seed, "Random seed (same seed and data: the same labels)");
    sub->add_option("--threads", a->threads, "Worker threads")->check(CLI::Range(1, 256));
    sub->add_option("--head", a->head, "Head mode's classifier: linear (logistic regression on the encoder outputs and the "
                                       "reference's principal components, default) or mlp (the paper's 100-unit head)")
        ->check(CLI::IsMember({"linear", "mlp"}));
    sub->add_option("--reference-pcs", a->reference_pcs, "Head mode: principal components of the reference added to "
                                                         "the encoder outputs (default 50, 0: none)")
        ->check(CLI::Range(0, 500));
    sub->add_option("--transform", a->transform, "Without a model: values the network is trained on, cp10k_log1p "
                                                  "(counts per 10k then log1p, default) or log1p (the paper's); "
                                                  "with a model: the model's")
        ->check(CLI::IsMember({"log1p", "cp10k_log1p"}));
    add_matrix_options(sub, a->read);
    sub->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace scpt::cli
