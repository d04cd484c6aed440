#include "core/annotate/evaluate.hpp"

#include <chrono>
#include <optional>
#include <map>

#include "core/annotate/confidence.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {

const char* finetune_mode_name(train::FinetuneMode m) {
    switch (m) {
        case train::FinetuneMode::Full: return "full";
        case train::FinetuneMode::Head: return "head";
        case train::FinetuneMode::Scratch: return "scratch";
    }
    return "?";
}

bool parse_finetune_mode(const std::string& s, train::FinetuneMode& out) {
    for (auto m : {train::FinetuneMode::Full, train::FinetuneMode::Head, train::FinetuneMode::Scratch})
        if (s == finetune_mode_name(m)) {
            out = m;
            return true;
        }
    return false;
}

CellMatrix row_subset(const CellMatrix& m, const std::vector<int64_t>& rows) {
    CellMatrix s;
    s.n_cells = int64_t(rows.size());
    s.n_genes = m.n_genes;
    s.gene_ids = m.gene_ids;
    s.gene_symbols = m.gene_symbols;
    s.indptr.reserve(rows.size() + 1);
    s.indptr.push_back(0);
    for (int64_t r : rows) {
        const int64_t b = m.indptr[size_t(r)], e = m.indptr[size_t(r) + 1];
        s.indices.insert(s.indices.end(), m.indices.begin() + b, m.indices.begin() + e);
        s.values.insert(s.values.end(), m.values.begin() + b, m.values.begin() + e);
        s.indptr.push_back(int64_t(s.values.size()));
        s.barcodes.push_back(size_t(r) < m.barcodes.size() ? m.barcodes[size_t(r)] : std::string());
    }
    return s;
}

CellMatrix labelled_subset(const CellMatrix& m, const std::vector<std::string>& labels, const LabelRules& rules,
                           std::vector<std::string>& subset_labels) {
    std::vector<int64_t> rows;
    subset_labels.clear();
    for (int64_t i = 0; i < m.n_cells; ++i)
        if (!is_unlabelled(labels[size_t(i)], rules)) {
            rows.push_back(i);
            subset_labels.push_back(labels[size_t(i)]);
        }
    return row_subset(m, rows);
}

namespace {

using Clock = std::chrono::steady_clock;

void accumulate(SeedScores& mean, const SeedScores& s, double w) {
    mean.scores.n += s.scores.n;
    mean.scores.accuracy += w * s.scores.accuracy;
    mean.scores.kappa += w * s.scores.kappa;
    mean.scores.macro_f1 += w * s.scores.macro_f1;
    mean.scores.median_f1 += w * s.scores.median_f1;
    mean.accuracy_no_rule += w * s.accuracy_no_rule;
    mean.macro_f1_no_rule += w * s.macro_f1_no_rule;
    mean.auroc += w * s.auroc;
    mean.auprc += w * s.auprc;
    mean.unassigned += w * s.unassigned;
    mean.ece += w * s.ece;
    mean.seconds += w * s.seconds;
    mean.best_epoch += int(w * s.best_epoch + 0.5);
}

}  // namespace

EvalReport evaluate(const CellMatrix& data, const std::vector<std::string>& labels, const Model* model,
                    const EvalOptions& o, const RunControl& control) {
    if (int64_t(labels.size()) != data.n_cells) throw std::invalid_argument("evaluate: one label per cell is needed");
    EvalReport rep;
    std::vector<std::string> sub_labels;
    const CellMatrix cells = labelled_subset(data, labels, o.annotate.labels, sub_labels);
    const ReferenceClasses rc = reference_classes(sub_labels, o.annotate.labels_name, o.annotate.labels);
    rep.classes = rc.names;
    rep.cells = cells.n_cells;
    const int32_t K = int32_t(rc.names.size());
    std::map<std::string, int32_t> global;
    for (int32_t c = 0; c < K; ++c) global[rc.names[size_t(c)]] = c;

    std::vector<std::vector<int64_t>> refs, tests;
    for (uint32_t seed : o.seeds) {
        PaperSplit s = paper_split(cells.n_cells, seed, o.split);
        if (s.reference.size() < 2 || s.test.empty())
            throw input_error(o.annotate.labels_name, "has only " + std::to_string(cells.n_cells) +
                                                          " labelled cells: too few to split into reference and test");
        refs.push_back(std::move(s.reference));
        tests.push_back(std::move(s.test));
    }
    rep.reference_cells = int64_t(refs[0].size());
    rep.test_cells = int64_t(tests[0].size());

    for (train::FinetuneMode mode : o.modes) {
        if (mode != train::FinetuneMode::Scratch && !model) continue;
        ModeReport mr;
        mr.mode = mode;
        mr.confusion.assign(size_t(K) + 1, std::vector<int64_t>(size_t(K) + 1, 0));
        for (size_t si = 0; si < o.seeds.size() && mr.skipped.empty(); ++si) {
            control.check_cancel();
            AnnotateOptions ao = o.annotate;
            ao.fall_back_without_model = false;  // a mode that cannot run is reported as such
            ao.mode = mode;
            ao.seed = o.seeds[si];
            ao.unknown.rule = UnknownRule::Typicality;  // measured for every cell; the rule is applied below
            std::vector<std::string> ref_labels(size_t(cells.n_cells));
            for (int64_t r : refs[si]) ref_labels[size_t(r)] = sub_labels[size_t(r)];
            const auto t0 = Clock::now();
            std::optional<Annotator> fitted;
            try {
                fitted.emplace(Annotator::fit(cells, ref_labels, nullptr, model, ao, control));
            } catch (const InputError& e) {
                if (mode == train::FinetuneMode::Scratch) throw;
                mr.skipped = e.what();
                break;
            }
            Annotator& a = *fitted;
            Predictions p = a.predict(cells, &tests[si], o.annotate.reference_name, control);
            SeedScores s;
            s.seed = o.seeds[si];
            s.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
            s.best_epoch = a.summary().best_epoch;
            if (o.annotate.unknown.rule == UnknownRule::QueryTypicality) {
                a.set_unknown_rule(o.annotate.unknown);  // calibrated on these test cells
                a.calibrate_on_query({&p});
            } else {
                apply_unknown_rule(p, o.annotate.unknown);
            }

            // Fit-local type indices -> the dataset's (a type may be absent from a reference part).
            std::vector<int32_t> to_global;
            for (const auto& name : a.summary().classes) to_global.push_back(global[name]);
            const size_t n = tests[si].size();
            std::vector<int32_t> truth(n), pred(n), best(n);
            std::vector<float> prob(n * size_t(K), 0.f), conf(n);
            std::vector<char> correct(n);
            int64_t unassigned = 0;
            for (size_t i = 0; i < n; ++i) {
                truth[i] = rc.codes[size_t(tests[si][i])];
                pred[i] = p.label[i] < 0 ? -1 : to_global[size_t(p.label[i])];
                best[i] = to_global[size_t(p.best[i])];
                for (size_t c = 0; c < to_global.size(); ++c)
                    prob[i * size_t(K) + size_t(to_global[c])] = p.probabilities(int64_t(i), int64_t(c));
                conf[i] = p.confidence[i];
                correct[i] = best[i] == truth[i];
                unassigned += pred[i] < 0;
                ++mr.confusion[size_t(truth[i])][size_t(pred[i] < 0 ? K : pred[i])];
            }
            s.scores = score_labels(truth, pred, K);
            const ClassificationScores nr = score_labels(truth, best, K);
            s.accuracy_no_rule = nr.accuracy;
            s.macro_f1_no_rule = nr.macro_f1;
            s.auroc = macro_auroc(truth, prob, K);
            s.auprc = macro_auprc(truth, prob, K);
            s.unassigned = double(unassigned) / double(n);
            s.ece = expected_calibration_error(conf, correct);
            mr.seeds.push_back(s);
        }
        const double w = 1.0 / double(std::max<size_t>(1, mr.seeds.size()));
        for (const auto& s : mr.seeds) accumulate(mr.mean, s, w);
        mr.mean.scores.n = mr.seeds.empty() ? 0 : mr.seeds[0].scores.n;
        rep.modes.push_back(std::move(mr));
    }

    if (o.representations) {
        // The values the model expects (log1p without a model), every labelled cell.
        CellMatrix x = cells;
        TransformOptions to;
        to.allow_scaled = o.annotate.allow_scaled;
        to.what = o.annotate.reference_name;
        const Transform target = model ? model->info.transform : o.annotate.transform_without_model;
        apply_transform(x, plan_transform(detect_value_kind(x), target, to, nullptr), &control);
        RepresentationInput ri;
        ri.cells = &x;
        ri.types = rc.codes;
        ri.n_types = K;
        std::vector<int32_t> rows;
        if (model) {
            GeneMatchOptions go;
            go.orthologs = o.annotate.orthologs;
            go.data_name = o.annotate.reference_name;
            go.vocab_name = o.annotate.model_name;
            try {
                rows = match_genes(x, model->info.genes, go).column_to_vocab;
                ri.encoder = &model->encoder;
                ri.gene_to_row = &rows;
            } catch (const InputError& e) {
                rep.warnings.push_back(std::string("no embedding to compare: ") + e.what());
            }
        }
        ri.reference = refs;
        ri.test = tests;
        ri.seeds = o.seeds;
        rep.representations = compare_representations(ri, 200, control);
    }

    if (o.hold_out_types) {
        HoldOutInput hi;
        hi.cells = &cells;
        hi.labels = sub_labels;
        hi.model = model;
        hi.reference = refs;
        hi.test = tests;
        hi.seeds = o.seeds;
        AnnotateOptions ao = o.annotate;
        if (!o.modes.empty()) ao.mode = o.modes[0];
        rep.hold_out = hold_out_types(hi, ao, o.hold_out, control);
    }
    rep.warnings = rc.warnings;
    return rep;
}

}  // namespace scpt::annotate
