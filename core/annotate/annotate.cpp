#include "core/annotate/annotate.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "core/annotate/annotator_state.hpp"
#include "core/annotate/confidence.hpp"
#include "core/annotate/query_typicality.hpp"
#include "core/data/value_kind.hpp"
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

Annotator::Annotator() : s_(std::make_unique<AnnotatorState>()) {}
Annotator::Annotator(Annotator&&) noexcept = default;
Annotator& Annotator::operator=(Annotator&&) noexcept = default;
Annotator::~Annotator() = default;

Annotator::QueryPlan Annotator::plan_query(const CellMatrix& sample, const std::string& name) const {
    const AnnotatorState& s = *s_;
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
    const AnnotatorState& s = *s_;
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
    const AnnotatorState& s = *s_;
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
