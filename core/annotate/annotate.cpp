#include "core/annotate/annotate.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include "core/annotate/confidence.hpp"
#include "core/stats/logistic.hpp"
#include "core/annotate/marker_genes.hpp"
#include "core/stats/pca.hpp"
#include "core/annotate/query_typicality.hpp"
#include "core/annotate/space_cells.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/model/encode.hpp"
#include "core/model/quantize.hpp"
#include "core/nn/activation.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {

const char* unknown_rule_name(UnknownRule r) {
    switch (r) {
        case UnknownRule::None: return "none";
        case UnknownRule::Probability: return "probability";
        case UnknownRule::Typicality: return "typicality";
        case UnknownRule::Either: return "either";
        case UnknownRule::QueryTypicality: return "query-typicality";
    }
    return "?";
}

bool parse_unknown_rule(const std::string& s, UnknownRule& out) {
    for (UnknownRule r : {UnknownRule::None, UnknownRule::Probability, UnknownRule::Typicality, UnknownRule::Either,
                          UnknownRule::QueryTypicality})
        if (s == unknown_rule_name(r)) {
            out = r;
            return true;
        }
    return false;
}

void Predictions::allocate(const CellMatrix& m, int64_t classes, int64_t embedding_dims) {
    const size_t n = cells.size();
    barcodes.clear();
    barcodes.reserve(n);
    for (int64_t c : cells) barcodes.push_back(size_t(c) < m.barcodes.size() ? m.barcodes[size_t(c)] : std::string());
    label.resize(n);
    best.resize(n);
    confidence.resize(n);
    typicality.assign(n, 1.f);
    typicality_score.assign(n, 0.f);
    probabilities.resize(int64_t(n), classes);
    if (embedding_dims > 0) embedding.resize(int64_t(n), embedding_dims);
}

void apply_unknown_rule(Predictions& p, const UnknownTypeOptions& o) {
    const bool by_prob = o.rule == UnknownRule::Probability || o.rule == UnknownRule::Either;
    const bool by_typ =
        o.rule == UnknownRule::Typicality || o.rule == UnknownRule::Either || o.rule == UnknownRule::QueryTypicality;
    p.label.resize(p.best.size());
    for (size_t i = 0; i < p.best.size(); ++i) {
        const bool unknown = (by_prob && double(p.confidence[i]) < o.min_probability) ||
                             (by_typ && double(p.typicality[i]) < o.alpha);
        p.label[i] = unknown ? -1 : p.best[i];
    }
}

struct Annotator::State {
    CellMatrix reference_genes;  // names only: what other matrices are matched against
    GeneSpaceOptions gene_options;
    GeneSpace space;
    train::Classifier clf;                 // Head mode: fc1 and fc2 only
    EncoderWeights frozen;                 // Head mode: the encoder rows of the space's known genes, f32
    std::vector<int32_t> frozen_row;       // per space gene: row of `frozen`, or -1
    // Head mode: the head sees ([h, reference PCs] - mean) * scale (empty scale: h as it is).
    Eigen::RowVectorXf h_mean, h_scale;
    std::optional<PcaResult> pcs;          // Head mode with reference_pcs > 0
    std::vector<int32_t> marker_slot;      // per space gene: its place among the marker genes, or -1
    int64_t n_markers = 0;                 // Head mode's linear head with reference_genes > 0
    LogisticRegression linear;             // Head mode, HeadClassifier::Linear
    bool use_linear = false;
    // Head mode whose genes could not meet the model: the linear head on the reference PCs alone.
    bool no_encoder = false;

    // The frozen encoder's output for cells in the space (no columns without an encoder).
    nn::Matrix encoded(const CellMatrix& cells, const RunControl& control) const {
        return no_encoder ? nn::Matrix(cells.n_cells, 0) : encode(cells, frozen_row, frozen, {}, control);
    }

    // The marker genes' values of the listed rows of m (columns: marker_column, values: t).
    nn::Matrix marker_block(const CellMatrix& m, const int64_t* rows, int64_t n, const std::vector<int32_t>& marker_column,
                            const CellTransform& t) const {
        if (n_markers == 0) return nn::Matrix(n, 0);
        return dense_cells(space_rows(m, rows, n, marker_column, n_markers, t));
    }

    // What the head takes for cells whose encoder output is h (cells: the same cells, in the
    // space; markers: their marker_block).
    nn::Matrix head_input(const nn::Matrix& h, const CellMatrix& cells, const nn::Matrix& markers) const {
        if (h_scale.size() == 0) return h;
        nn::Matrix f(h.rows(), h_scale.size());
        f.leftCols(h.cols()) = h;
        if (pcs) f.middleCols(h.cols(), pcs->loadings.cols()) = pca_project(*pcs, cells);
        if (n_markers > 0) f.rightCols(n_markers) = markers;
        f = (f.rowwise() - h_mean).array().rowwise() * h_scale.array();
        // As CellTypist clips scaled genes: one cell's outlier count cannot swing the logits.
        if (n_markers > 0) f.rightCols(n_markers) = f.rightCols(n_markers).cwiseMax(-10.f).cwiseMin(10.f);
        return f;
    }
    // Logits of the head; `act`: the representation typicality uses in the Penultimate space.
    void head(const nn::Matrix& z, nn::Matrix& act, nn::Matrix& logits) const {
        if (use_linear) {
            act = z;
            logits = linear.decision_function(z);
            return;
        }
        clf.fc1.forward(z, act);
        nn::sigmoid_inplace(act);
        clf.fc2.forward(act, logits);
    }
    Typicality typicality;
};

Annotator::Annotator() : s_(std::make_unique<State>()) {}
Annotator::Annotator(Annotator&&) noexcept = default;
Annotator& Annotator::operator=(Annotator&&) noexcept = default;
Annotator::~Annotator() = default;

namespace {

// The rows of w for the space's genes that have one, as f32 (the values the kernel uses for
// any dtype), so that fine-tuning and encoding work on a matrix the size of the space.
EncoderWeights compact_encoder(const EncoderWeights& w, const std::vector<int32_t>& model_row,
                               std::vector<int32_t>& row_of) {
    EncoderWeights c;
    c.dtype = DType::F32;
    c.hidden = w.hidden;
    c.bias = w.bias;
    row_of.assign(model_row.size(), -1);
    for (size_t g = 0; g < model_row.size(); ++g) {
        const int32_t r = model_row[g];
        if (r < 0) continue;
        row_of[g] = int32_t(c.genes++);
        if (w.dtype == DType::F32) {
            c.f32.insert(c.f32.end(), w.f32.begin() + r * w.hidden, w.f32.begin() + (r + 1) * w.hidden);
        } else {
            for (int64_t j = 0; j < w.hidden; ++j) c.f32.push_back(weight_at(w, r, j));
        }
    }
    return c;
}

nn::Matrix gather_rows(const nn::Matrix& m, const std::vector<int64_t>& rows) {
    nn::Matrix out(int64_t(rows.size()), m.cols());
    for (size_t i = 0; i < rows.size(); ++i) out.row(int64_t(i)) = m.row(rows[i]);
    return out;
}

std::vector<int32_t> gather(const std::vector<int32_t>& v, const std::vector<int64_t>& rows) {
    std::vector<int32_t> out;
    out.reserve(rows.size());
    for (int64_t r : rows) out.push_back(v[size_t(r)]);
    return out;
}

}  // namespace

Annotator Annotator::fit(const CellMatrix& reference, const std::vector<std::string>& labels, const CellMatrix* query,
                         const Model* model, const AnnotateOptions& o, const RunControl& control) {
    if (int64_t(labels.size()) != reference.n_cells)
        throw std::invalid_argument("annotate: one label per reference cell is needed");
    Annotator a;
    a.options_ = o;
    State& s = *a.s_;
    FitSummary& sum = a.summary_;

    // 1. Types.
    const ReferenceClasses rc = reference_classes(labels, o.labels_name, o.labels);
    sum.classes = rc.names;
    sum.class_counts = rc.counts;
    sum.warnings = rc.warnings;
    a.codes_ = rc.codes;
    const int n_classes = int(rc.names.size());

    // 2. Genes.
    train::FinetuneMode mode = model && o.mode != train::FinetuneMode::Scratch ? o.mode : train::FinetuneMode::Scratch;
    if (mode != train::FinetuneMode::Scratch && o.fall_back_without_model) {
        GeneMatchOptions go;
        go.orthologs = o.orthologs;
        go.data_name = o.reference_name;
        go.vocab_name = o.model_name;
        try {
            match_genes(reference, model->info.genes, go);
        } catch (const InputError& e) {
            sum.warnings.push_back(std::string(e.what()) + ". Trained without pre-training instead");
            // Head's linear classifier still works on the reference's principal components alone,
            // and far better than the paper's network from scratch on few cells (EVALUATION.md: the
            // sets without gene names); the other modes train the network from scratch.
            const bool pcs_only = o.mode == train::FinetuneMode::Head &&
                                  o.head_classifier == AnnotateOptions::HeadClassifier::Linear && o.reference_pcs > 0 &&
                                  reference.n_cells >= 3 && reference.n_genes >= 2;
            mode = pcs_only ? train::FinetuneMode::Head : train::FinetuneMode::Scratch;
            s.no_encoder = pcs_only;
        }
    }
    sum.mode = mode;
    sum.seed = o.seed;
    sum.unknown_rule = o.unknown.rule;
    sum.alpha = o.unknown.alpha;
    sum.min_probability = o.unknown.min_probability;
    sum.shared_genes_only = o.shared_genes_only;
    sum.has_model = mode != train::FinetuneMode::Scratch && !s.no_encoder;
    sum.transform = sum.has_model ? model->info.transform : o.transform_without_model;
    s.gene_options.orthologs = o.orthologs;
    s.gene_options.shared_only = o.shared_genes_only;
    s.gene_options.reference_name = o.reference_name;
    s.gene_options.query_name = o.query_name;
    s.gene_options.model_name = o.model_name;
    s.space = build_gene_space(reference, query, sum.has_model ? model : nullptr, s.gene_options);
    s.reference_genes.n_genes = reference.n_genes;
    s.reference_genes.gene_ids = reference.gene_ids;
    s.reference_genes.gene_symbols = reference.gene_symbols;
    sum.genes_used = s.space.size;
    sum.genes_with_model = s.space.model_matched;
    if (sum.has_model) {
        sum.reference_to_model = s.space.reference_to_model;
        for (const auto& n : s.space.reference_to_model.notes) sum.warnings.push_back(n);
        if (s.space.model_matched == 0)
            throw input_error(o.reference_name, "none of the genes used for training is known to " + o.model_name);
    }
    if (s.space.size == 0)
        throw input_error(o.reference_name, "shares no gene with " + o.query_name);

    // 3. Values of the labelled cells, in the space.
    TransformOptions to;
    to.allow_scaled = o.allow_scaled;
    to.what = o.reference_name;
    const ValueSummary reference_values = detect_value_kind(reference);
    const CellTransform t = plan_transform(reference_values, sum.transform, to, &sum.warnings);
    sum.reference_transform = t.description();
    std::vector<int64_t> labelled;
    std::vector<int32_t> y;
    for (int64_t i = 0; i < reference.n_cells; ++i)
        if (rc.codes[size_t(i)] >= 0) {
            labelled.push_back(i);
            y.push_back(rc.codes[size_t(i)]);
        }
    const CellMatrix x = space_rows(reference, labelled.data(), int64_t(labelled.size()), s.space.reference_column,
                                    s.space.size, t);
    control.check_cancel();

    // 4. Fine-tuning.
    train::FinetuneOptions fo = o.finetune;
    fo.mode = mode;
    fo.seed = o.seed;
    train::FinetuneResult res;
    nn::Matrix h;  // encoder output of the labelled cells
    nn::Matrix z;  // what the head takes
    const bool head_mode = mode == train::FinetuneMode::Head;
    s.use_linear = head_mode && o.head_classifier == AnnotateOptions::HeadClassifier::Linear;
    if (head_mode) {
        if (!s.no_encoder) s.frozen = compact_encoder(model->encoder, s.space.model_row, s.frozen_row);
        h = s.encoded(x, control);
        if (s.use_linear || o.tuned_head) {
            if (o.reference_pcs > 0 && x.n_cells >= 3 && s.space.size >= 2) {
                PcaOptions po;
                po.components = o.reference_pcs;
                po.seed = o.seed;
                po.power_iters = 2;  // features for a classifier, not a publication-grade spectrum
                s.pcs = pca(x, po, control);
            }
            nn::Matrix markers(x.n_cells, 0);
            // Chosen on counts per 10k + log1p whatever the model's transform: library size
            // differs across technologies, and the peers' linear models see genes that way.
            const CellTransform mt = plan_transform(reference_values, Transform::CountsPer10kLog1p, to, nullptr);
            // Values that could not be brought to that scale (log values of an unknown base, used
            // as they are) give genes whose levels no other dataset shares: a boundary drawn on
            // them does not carry (measured: CHETAH head & neck -> Tabula Muris kidney, macro-F1
            // 0.73 without genes, 0.10 with them), while the encoder's outputs still do.
            if (s.use_linear && o.reference_genes > 0 && !mt.is_identity()) {
                const CellMatrix xm = space_rows(reference, labelled.data(), int64_t(labelled.size()),
                                                 s.space.reference_column, s.space.size, mt);
                MarkerGeneOptions mo;
                mo.genes = o.reference_genes;
                const std::vector<int32_t> picked = select_marker_genes(xm, y, n_classes, mo);
                s.marker_slot.assign(size_t(s.space.size), -1);
                for (size_t j = 0; j < picked.size(); ++j) s.marker_slot[size_t(picked[j])] = int32_t(j);
                s.n_markers = int64_t(picked.size());
                markers = dense_columns(xm, picked);
            }
            const int64_t width = h.cols() + (s.pcs ? s.pcs->loadings.cols() : 0) + s.n_markers;
            s.h_mean = Eigen::RowVectorXf::Zero(width);
            s.h_scale = Eigen::RowVectorXf::Ones(width);
            // Identity standardisation: the raw features (log1p per 10k never reaches the clip).
            const nn::Matrix f = s.head_input(h, x, markers);
            s.h_mean = f.colwise().mean();
            const Eigen::RowVectorXf var = (f.rowwise() - s.h_mean).array().square().colwise().mean();
            // Features that barely move on these cells are not blown up into noise.
            s.h_scale = (var.array().sqrt().max(1e-3f)).inverse();
            z = s.head_input(h, x, markers);
        } else {
            z = h;
        }
        if (s.use_linear) {
            const train::LabelledSplit split = train::split_labelled(y, fo);
            LogisticOptions lo;
            lo.C = o.linear_c;
            lo.tol = 1e-4;  // scikit-learn's tolerance; 1e-6 doubles the iterations for no change in labels
            control.report({"finetune", 0, "logistic regression on " + std::to_string(split.train.size()) + " cells", 0});
            s.linear.fit(gather_rows(z, split.train), gather(y, split.train), n_classes, lo, control);
            const auto val_pred = s.linear.predict(gather_rows(z, split.val));
            const auto yva = gather(y, split.val);
            int64_t ok = 0;
            for (size_t i = 0; i < yva.size(); ++i) ok += val_pred[i] == yva[i];
            res.best_val_accuracy = yva.empty() ? 0 : double(ok) / double(yva.size());
            res.best_epoch = s.linear.iterations();
            sum.linear_head = true;
            sum.solver_iterations = s.linear.iterations();
            res.train_cells = split.train;
            res.val_cells = split.val;
        } else {
            if (o.tuned_head) {
                fo.lr = 1e-2;
                fo.stop_on = train::EarlyStop::ValidationLoss;
            }
            res = train::finetune_head(z, y, n_classes, fo, control);
        }
    } else {
        train::EncoderInit init;
        EncoderWeights compact;
        std::vector<int32_t> rows32;
        if (mode == train::FinetuneMode::Full) {
            compact = compact_encoder(model->encoder, s.space.model_row, rows32);
            init.weights = &compact;
            init.gene_to_row = rows32;
        }
        res = train::finetune(nn::CsrRef::of(x), y, n_classes, init, fo, control);
        h = res.classifier.embed(nn::CsrRef::of(x), control.threads);
        z = h;
    }
    if (!s.use_linear) s.clf = std::move(res.classifier);
    if (head_mode) {
        sum.reference_pcs = s.pcs ? s.pcs->loadings.cols() : 0;
        sum.reference_genes = s.n_markers;
        sum.encoder_outputs = s.no_encoder ? 0 : h.cols();
    }
    sum.log = std::move(res.log);
    sum.best_epoch = res.best_epoch;
    sum.best_val_accuracy = res.best_val_accuracy;
    sum.train_cells = int64_t(res.train_cells.size());
    sum.val_cells = int64_t(res.val_cells.size());

    // 5. Calibration on the validation cells.
    nn::Matrix act, logits;
    s.head(z, act, logits);
    const std::vector<int32_t> ytr = gather(y, res.train_cells), yva = gather(y, res.val_cells);
    if (o.calibrate_confidence) sum.temperature = fit_temperature(gather_rows(logits, res.val_cells), yva);
    if (s.use_linear) {
        // The validation share has done its work: the final fit sees every labelled cell.
        LogisticOptions lo;
        lo.C = o.linear_c;
        lo.tol = 1e-4;
        lo.warm_start = true;  // the validation fit is close: a few iterations finish it
        s.linear.fit(z, y, n_classes, lo, control);
        s.head(z, act, logits);
    }
    const nn::Matrix& features = o.unknown.space == DetectorSpace::Encoder && !s.no_encoder ? h : act;
    if (head_mode && (o.unknown.space == DetectorSpace::Encoder || s.use_linear)) {
        // These features never learnt from the labels: every labelled cell can calibrate, left
        // out of its own neighbours.
        s.typicality.fit(features, y, n_classes, nullptr, nullptr, o.unknown.typicality);
    } else {
        const nn::Matrix ftr = gather_rows(features, res.train_cells), fva = gather_rows(features, res.val_cells);
        s.typicality.fit(ftr, ytr, n_classes, &fva, &yva, o.unknown.typicality);
    }
    sum.calibration_cells = s.typicality.calibration_size();
    return a;
}

Annotator::QueryPlan Annotator::plan_query(const CellMatrix& sample, const std::string& name) const {
    const State& s = *s_;
    QueryPlan q;
    q.name = name;
    q.genes = align_to_space(s.space, s.reference_genes, sample, s.gene_options, name);
    if (!q.genes.same_genes)
        for (const auto& n : q.genes.match.notes) q.warnings.push_back(n);
    TransformOptions to;
    to.allow_scaled = options_.allow_scaled;
    to.what = name;
    const ValueSummary values = detect_value_kind(sample);
    q.transform = plan_transform(values, summary_.transform, to, &q.warnings);
    if (s.n_markers > 0) {
        q.marker_transform = plan_transform(values, Transform::CountsPer10kLog1p, to, nullptr);
        q.marker_column.assign(q.genes.column.size(), -1);
        for (size_t g = 0; g < q.genes.column.size(); ++g)
            if (q.genes.column[g] >= 0) q.marker_column[g] = s.marker_slot[size_t(q.genes.column[g])];
    }
    return q;
}

Predictions Annotator::predict(const CellMatrix& m, const std::vector<int64_t>* rows, const std::string& name,
                               const RunControl& control) const {
    QueryPlan q = plan_query(m, name);
    Predictions p = predict(m, rows, q, control);
    p.warnings = std::move(q.warnings);
    return p;
}

Predictions Annotator::predict(const CellMatrix& m, const std::vector<int64_t>* rows, const QueryPlan& plan,
                               const RunControl& control) const {
    const State& s = *s_;
    Predictions p;
    if (rows) {
        p.cells = *rows;
    } else {
        p.cells.resize(size_t(m.n_cells));
        for (int64_t i = 0; i < m.n_cells; ++i) p.cells[size_t(i)] = i;
    }
    if (int64_t(plan.genes.column.size()) != m.n_genes)
        throw std::invalid_argument("Annotator::predict: the plan was made for another gene list");
    p.genes = plan.genes;
    const CellTransform& t = plan.transform;
    p.transform = t.description();

    const int64_t n = int64_t(p.cells.size()), k = int64_t(summary_.classes.size());
    const bool head = summary_.mode == train::FinetuneMode::Head;
    const UnknownRule rule = options_.unknown.rule;
    const bool typical =
        rule == UnknownRule::Typicality || rule == UnknownRule::Either || rule == UnknownRule::QueryTypicality;
    p.allocate(m, k, options_.keep_embedding ? (head ? s.frozen.hidden : s.clf.hidden()) : 0);
    RunControl quiet = control;  // encoding progress is reported as the prediction's
    quiet.progress = nullptr;
    const int64_t chunk = std::max<int64_t>(1, options_.chunk_cells);
    for (int64_t b = 0; b < n; b += chunk) {
        control.check_cancel();
        const int64_t e = std::min(n, b + chunk);
        const CellMatrix c = space_rows(m, p.cells.data() + b, e - b, p.genes.column, s.space.size, t);
        const nn::Matrix h = head ? s.encoded(c, quiet) : s.clf.embed(nn::CsrRef::of(c), control.threads);
        nn::Matrix act, logits;
        const nn::Matrix markers = s.marker_block(m, p.cells.data() + b, e - b, plan.marker_column, plan.marker_transform);
        s.head(s.head_input(h, c, markers), act, logits);
        const nn::Matrix prob = softmax_temperature(logits, summary_.temperature);
        std::vector<int32_t> best = train::argmax_rows(logits);
        for (int64_t i = b; i < e; ++i) {
            const int32_t bi = best[size_t(i - b)];
            p.best[size_t(i)] = bi;
            p.confidence[size_t(i)] = prob(i - b, bi);
        }
        p.probabilities.middleRows(b, e - b) = prob;
        if (typical) {
            const std::vector<float> sc =
                s.typicality.scores(options_.unknown.space == DetectorSpace::Encoder && !s.no_encoder ? h : act, best);
            for (int64_t i = b; i < e; ++i) {
                p.typicality_score[size_t(i)] = sc[size_t(i - b)];
                p.typicality[size_t(i)] = float(s.typicality.p_value(sc[size_t(i - b)]));
            }
        }
        if (options_.keep_embedding) p.embedding.middleRows(b, e - b) = h;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%lld of %lld cells", (long long)e, (long long)n);
        control.report({"predict", double(e) / double(n), buf, double(e)});
    }
    if (rule == UnknownRule::QueryTypicality) {
        decide_query_typicality({&p}, s.typicality, options_.unknown);
    } else {
        apply_unknown_rule(p, options_.unknown);
    }
    return p;
}

double Annotator::calibrate_on_query(const std::vector<Predictions*>& parts) const {
    if (options_.unknown.rule != UnknownRule::QueryTypicality) return 1.0;
    return decide_query_typicality(parts, s_->typicality, options_.unknown);
}

ReferenceClassifier Annotator::export_classifier(const std::string& name, const Model& model,
                                                double min_probability) const {
    const State& s = *s_;
    if (summary_.mode != train::FinetuneMode::Head || !s.use_linear)
        throw InputError("only a classifier fitted in Head mode with the linear head can be stored in a model");
    if (s.space.model_matched != s.space.size)
        throw InputError("the classifier uses " + std::to_string(s.space.size - s.space.model_matched) +
                         " genes the model does not know: fit it on the model's genes only");
    if (s.n_markers > 0)
        throw InputError("the classifier sees marker genes, which a stored classifier cannot hold: fit it without them");
    if (s.frozen.hidden != model.encoder.hidden || s.space.model_row.size() != size_t(s.space.size))
        throw InputError("the classifier was not fitted on this model");
    ReferenceClassifier c;
    c.name = name;
    c.head = ReferenceClassifier::Head::Linear;
    c.classes = summary_.classes;
    c.calibration = {float(summary_.temperature), float(min_probability)};
    c.gene_rows = s.space.model_row;
    if (s.pcs) {
        c.pcs = s.pcs->loadings.cols();
        c.pca_mean.assign(s.pcs->mean.data(), s.pcs->mean.data() + s.pcs->mean.size());
        c.pca_loadings.assign(s.pcs->loadings.data(), s.pcs->loadings.data() + s.pcs->loadings.size());
    }
    c.feature_mean.assign(s.h_mean.data(), s.h_mean.data() + s.h_mean.size());
    c.feature_scale.assign(s.h_scale.data(), s.h_scale.data() + s.h_scale.size());
    const Eigen::MatrixXd& w = s.linear.weights();  // features x classes
    for (int64_t k = 0; k < w.cols(); ++k)
        for (int64_t f = 0; f < w.rows(); ++f) c.linear_w.push_back(float(w(f, k)));
    const Eigen::RowVectorXd& b = s.linear.intercepts();
    for (int64_t k = 0; k < b.size(); ++k) c.linear_b.push_back(float(b(k)));
    c.validate("classifier", model.encoder.hidden);
    return c;
}

namespace {
// Majority voting (majority_vote.hpp) on the predicted cells of m.
void vote_by_over_clusters(const CellMatrix& m, Predictions& p, FitSummary& fit, const AnnotateOptions& o,
                           const RunControl& control) {
    MajorityVoteOptions mv = o.majority_vote;
    mv.seed = o.seed;
    p.over_cluster = over_cluster(m, p.cells, int(fit.classes.size()), mv, o.allow_scaled, control);
    p.cell_label = p.label;
    p.label = majority_labels(p.over_cluster, p.cell_label, mv.min_share);
    fit.over_clusters = p.over_cluster.empty() ? 0 : *std::max_element(p.over_cluster.begin(), p.over_cluster.end()) + 1;
}
}  // namespace

AnnotateResult annotate(const AnnotateInput& in, const AnnotateOptions& o, const RunControl& control) {
    if (!in.reference) throw std::invalid_argument("annotate: no reference");
    const CellMatrix& ref = *in.reference;
    std::vector<int64_t> unlabelled;
    if (!in.query) {
        if (int64_t(in.labels.size()) != ref.n_cells)
            throw std::invalid_argument("annotate: one label per reference cell is needed");
        for (int64_t i = 0; i < ref.n_cells; ++i)
            if (is_unlabelled(in.labels[size_t(i)], o.labels)) unlabelled.push_back(i);
        if (unlabelled.empty())
            throw input_error(o.labels_name, "labels every cell of " + o.reference_name +
                                                 ": there is nothing to predict (give a query, or leave the cells to "
                                                 "predict without a label)");
    }
    Annotator a = Annotator::fit(ref, in.labels, in.query, in.model, o, control);
    AnnotateResult r;
    r.predictions = in.query ? a.predict(*in.query, nullptr, o.query_name, control)
                             : a.predict(ref, &unlabelled, o.reference_name, control);
    r.fit = a.summary();
    if (o.majority_vote.enabled) vote_by_over_clusters(in.query ? *in.query : ref, r.predictions, r.fit, o, control);
    r.warnings = r.fit.warnings;
    for (const auto& w : r.predictions.warnings) r.warnings.push_back(w);
    return r;
}

}  // namespace scpt::annotate
