// scpt classifier --model IN --out OUT --name NAME ...: adds a reference classifier to a model file
// (the model zoo; core/annotate/classifier_build.hpp), replaces one of the same name, changes its
// description, or removes it. `scpt annotate --classifier NAME --query Q` then labels cells with
// it, and `scpt inspect` lists it. The output is written atomically (it may be the input file).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "core/annotate/classifier_build.hpp"
#include "core/model/model_file.hpp"
#include "tools/native/files.hpp"
#include "tools/native/model_files.hpp"
#include "tools/scpt/annotate_inputs.hpp"
#include "tools/scpt/commands.hpp"
#include "tools/scpt/progress_line.hpp"

namespace scpt::cli {

namespace {

struct ClassifierArgs {
    std::string model, out, name, reference, labels, label_column, description;
    bool remove = false, allow_scaled = false, has_description = false;
    int64_t genes = 3000;
    int pcs = 50;
    double min_probability = 0.5;
    uint64_t seed = 0;
    int threads = 1;
    MatrixArgs read;
};

void run(const ClassifierArgs& a, Context& ctx) {
    const auto t0 = std::chrono::steady_clock::now();
    Model model = native::load_model(a.model, ctx.limits);
    if (a.remove && !a.reference.empty()) throw InputError("--remove and --reference do not go together");
    native::AtomicFile out(a.out);
    std::string what;
    if (a.remove) {
        const auto before = model.classifiers.size();
        auto& cs = model.classifiers;
        cs.erase(std::remove_if(cs.begin(), cs.end(), [&](const ReferenceClassifier& c) { return c.name == a.name; }),
                 cs.end());
        if (model.classifiers.size() == before)
            throw InputError(a.model + " has no classifier named '" + a.name + "'");
        what = "removed";
    } else if (!a.reference.empty()) {
        ProgressLine line(ctx.quiet);
        RunControl rc = line.attach(ctx.control);
        rc.threads = a.threads;
        std::vector<std::string> warnings;
        const CellMatrix reference = read_matrix(a.reference, a.read, rc);
        const std::vector<std::string> labels = read_labels(reference, a.reference, a.labels, a.label_column, &warnings);
        annotate::ClassifierBuildOptions o;
        o.name = a.name;
        o.description = a.description;
        o.genes = a.genes;
        o.reference_pcs = a.pcs;
        o.min_probability = a.min_probability;
        o.seed = a.seed;
        o.allow_scaled = a.allow_scaled;
        o.reference_name = a.reference;
        o.labels_name = a.labels.empty() ? a.reference + " column " + a.label_column : a.labels;
        ReferenceClassifier c = annotate::build_classifier(reference, labels, model, o, rc);
        line.finish();
        if (!ctx.quiet) {
            for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
            std::cerr << "classifier " << c.name << ": " << c.classes.size() << " types, " << c.gene_rows.size()
                      << " genes, " << c.pcs << " principal components\n";
        }
        annotate::put_classifier(model, std::move(c));
        what = "added";
    } else if (a.has_description) {
        bool found = false;
        for (auto& c : model.classifiers)
            if (c.name == a.name) c.description = a.description, found = true;
        if (!found) throw InputError(a.model + " has no classifier named '" + a.name + "'");
        what = "described";
    } else {
        throw InputError("give --reference (to add or replace), --description (to describe) or --remove");
    }
    out.write(write_model(model));
    out.commit();
    if (!ctx.quiet) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "%s classifier %s; wrote %s (%.1f s)\n", what.c_str(), a.name.c_str(), a.out.c_str(), secs);
    }
}

}  // namespace

void add_classifier(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<ClassifierArgs>();
    auto* sub = app.add_subcommand("classifier", "Add, describe or remove a reference classifier shipped in a model file");
    sub->add_option("--model", a->model, "Model file to start from")->required();
    sub->add_option("--out", a->out, "Model file to write (may be the same file)")->required();
    sub->add_option("--name", a->name, "Classifier name: letters, digits, '_' or '-'")->required();
    sub->add_option("--reference", a->reference, "Labelled cells to fit it on: 10x folder, .h5, .h5ad, .loom, .mtx, CSV/TSV");
    sub->add_option("--labels", a->labels, "Labels file: barcode<TAB>label per line");
    sub->add_option("--label-column", a->label_column, "The reference's metadata column holding the types");
    sub->add_option("--description", a->description, "Tissue, species, sources, held-out accuracy")
        ->each([a](const std::string&) { a->has_description = true; });
    sub->add_flag("--remove", a->remove, "Remove the classifier");
    sub->add_option("--genes", a->genes, "Most variable reference genes it uses (default 3000)")
        ->check(CLI::Range(int64_t(1), int64_t(1000000)));
    sub->add_option("--pcs", a->pcs, "Principal components of those genes added to the encoder outputs (default 50)")
        ->check(CLI::Range(0, 500));
    sub->add_option("--min-probability", a->min_probability, "Confidence below which a cell is Unassigned (default 0.5)")
        ->check(CLI::Range(0.0, 1.0));
    sub->add_option("--seed", a->seed, "Random seed");
    sub->add_option("--threads", a->threads, "Worker threads")->check(CLI::Range(1, 256));
    sub->add_flag("--allow-scaled", a->allow_scaled, "Accept z-scored values instead of refusing them");
    add_matrix_options(sub, a->read);
    sub->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace scpt::cli
