// Annotator::fit in the steps annotate.hpp documents: types, mode and genes, the labelled cells'
// values, the head's features, the classifier, calibration. Each step fills its part of the
// AnnotatorState and of the FitSummary users read.
#include <stdexcept>

#include "core/annotate/annotate.hpp"
#include "core/annotate/annotator_state.hpp"
#include "core/annotate/confidence.hpp"
#include "core/annotate/marker_genes.hpp"
#include "core/data/value_kind.hpp"
#include "core/model/quantize.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {

namespace {

// The rows of w for the space's genes that have one, so that fine-tuning and encoding work on a
// matrix the size of the space: q8 stays q8 (a quarter of the bytes the kernel streams per stored
// value: the default's label step 10% faster) for the frozen encoder, any other dtype, or a
// compact copy to fine-tune (`trainable`), becomes f32 (the values the kernel uses for it).
EncoderWeights compact_encoder(const EncoderWeights& w, const std::vector<int32_t>& model_row,
                               std::vector<int32_t>& row_of, bool trainable) {
    EncoderWeights c;
    c.dtype = w.dtype == DType::Q8 && !trainable ? DType::Q8 : DType::F32;
    c.hidden = w.hidden;
    c.bias = w.bias;
    row_of.assign(model_row.size(), -1);
    for (size_t g = 0; g < model_row.size(); ++g) {
        const int32_t r = model_row[g];
        if (r < 0) continue;
        row_of[g] = int32_t(c.genes++);
        if (c.dtype == DType::Q8) {
            c.q8.insert(c.q8.end(), w.q8.begin() + r * w.hidden, w.q8.begin() + (r + 1) * w.hidden);
            c.q8_scale.push_back(w.q8_scale[size_t(r)]);
        } else if (w.dtype == DType::F32) {
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

// Step 2a. The mode that can run: the one asked for, unless the reference's genes cannot meet
// the model (then without pre-training, with a warning).
train::FinetuneMode runnable_mode(const CellMatrix& reference, const Model* model, const AnnotateOptions& o,
                                  AnnotatorState& s, std::vector<std::string>& warnings) {
    train::FinetuneMode mode = model && o.mode != train::FinetuneMode::Scratch ? o.mode : train::FinetuneMode::Scratch;
    if (mode == train::FinetuneMode::Scratch || !o.fall_back_without_model) return mode;
    GeneMatchOptions go;
    go.orthologs = o.orthologs;
    go.data_name = o.reference_name;
    go.vocab_name = o.model_name;
    try {
        match_genes(reference, model->info.genes, go);
    } catch (const InputError& e) {
        warnings.push_back(std::string(e.what()) + ". Trained without pre-training instead");
        // Head's linear classifier still works on the reference's principal components alone,
        // and far better than the paper's network from scratch on few cells (EVALUATION.md: the
        // sets without gene names); the other modes train the network from scratch.
        const bool pcs_only = o.mode == train::FinetuneMode::Head &&
                              o.head_classifier == AnnotateOptions::HeadClassifier::Linear && o.reference_pcs > 0 &&
                              reference.n_cells >= 3 && reference.n_genes >= 2;
        s.no_encoder = pcs_only;
        return pcs_only ? train::FinetuneMode::Head : train::FinetuneMode::Scratch;
    }
    return mode;
}

// Step 2b. The classifier's genes: the reference's (shared with the query), tied to the model's rows.
void fit_gene_space(const CellMatrix& reference, const CellMatrix* query, const Model* model,
                    const AnnotateOptions& o, AnnotatorState& s, FitSummary& sum) {
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
    if (s.space.size == 0) throw input_error(o.reference_name, "shares no gene with " + o.query_name);
}

// Step 3. The labelled cells, their types and their values in the space.
struct LabelledCells {
    std::vector<int64_t> rows;  // in the reference
    std::vector<int32_t> y;
    CellMatrix x;               // transformed as the model expects, space columns
    ValueSummary values;        // of the whole reference: decides the marker genes' transform too
};

LabelledCells labelled_cells(const CellMatrix& reference, const std::vector<int32_t>& codes, const AnnotateOptions& o,
                             const AnnotatorState& s, FitSummary& sum) {
    LabelledCells l;
    TransformOptions to;
    to.allow_scaled = o.allow_scaled;
    to.what = o.reference_name;
    l.values = detect_value_kind(reference);
    const CellTransform t = plan_transform(l.values, sum.transform, to, &sum.warnings);
    sum.reference_transform = t.description();
    for (int64_t i = 0; i < reference.n_cells; ++i)
        if (codes[size_t(i)] >= 0) {
            l.rows.push_back(i);
            l.y.push_back(codes[size_t(i)]);
        }
    l.x = space_rows(reference, l.rows.data(), int64_t(l.rows.size()), s.space.reference_column, s.space.size, t);
    return l;
}

// Step 4a, Head mode. What the head sees besides the encoder's outputs h: the reference's
// principal components and (linear head) its marker genes, then each feature standardised on
// the labelled cells. Returns the head's input.
nn::Matrix fit_head_features(const CellMatrix& reference, const LabelledCells& l, const nn::Matrix& h, int n_classes,
                             const AnnotateOptions& o, AnnotatorState& s, const RunControl& control) {
    if (o.reference_pcs > 0 && l.x.n_cells >= 3 && s.space.size >= 2) {
        PcaOptions po;
        po.components = o.reference_pcs;
        po.seed = o.seed;
        po.power_iters = 2;  // features for a classifier, not a publication-grade spectrum
        s.pcs = pca(l.x, po, control);
    }
    nn::Matrix markers(l.x.n_cells, 0);
    TransformOptions to;
    to.allow_scaled = o.allow_scaled;
    to.what = o.reference_name;
    // Chosen on counts per 10k + log1p whatever the model's transform: library size
    // differs across technologies, and the peers' linear models see genes that way.
    const CellTransform mt = plan_transform(l.values, Transform::CountsPer10kLog1p, to, nullptr);
    // Values that could not be brought to that scale (log values of an unknown base, used
    // as they are) give genes whose levels no other dataset shares: a boundary drawn on
    // them does not carry (measured: CHETAH head & neck -> Tabula Muris kidney, macro-F1
    // 0.73 without genes, 0.10 with them), while the encoder's outputs still do.
    if (s.use_linear && o.reference_genes > 0 && !mt.is_identity()) {
        const CellMatrix xm = space_rows(reference, l.rows.data(), int64_t(l.rows.size()), s.space.reference_column,
                                         s.space.size, mt);
        MarkerGeneOptions mo;
        mo.genes = o.reference_genes;
        const std::vector<int32_t> picked = select_marker_genes(xm, l.y, n_classes, mo);
        s.marker_slot.assign(size_t(s.space.size), -1);
        for (size_t j = 0; j < picked.size(); ++j) s.marker_slot[size_t(picked[j])] = int32_t(j);
        s.n_markers = int64_t(picked.size());
        markers = dense_columns(xm, picked);
    }
    const int64_t width = h.cols() + (s.pcs ? s.pcs->loadings.cols() : 0) + s.n_markers;
    s.h_mean = Eigen::RowVectorXf::Zero(width);
    s.h_scale = Eigen::RowVectorXf::Ones(width);
    // Identity standardisation: the raw features (log1p per 10k never reaches the clip).
    const nn::Matrix f = s.head_input(h, l.x, markers);
    s.h_mean = f.colwise().mean();
    const Eigen::RowVectorXf var = (f.rowwise() - s.h_mean).array().square().colwise().mean();
    // Features that barely move on these cells are not blown up into noise.
    s.h_scale = (var.array().sqrt().max(1e-3f)).inverse();
    return s.head_input(h, l.x, markers);
}

LogisticOptions linear_options(const AnnotateOptions& o) {
    LogisticOptions lo;
    lo.C = o.linear_c;
    lo.tol = 1e-4;  // scikit-learn's tolerance; 1e-6 doubles the iterations for no change in labels
    return lo;
}

// Step 4b, Head mode's linear head: fitted on the training share, scored on the validation share
// (which then calibrates, step 5).
train::FinetuneResult fit_linear_head(const nn::Matrix& z, const std::vector<int32_t>& y, int n_classes,
                                      const train::FinetuneOptions& fo, const AnnotateOptions& o, AnnotatorState& s,
                                      FitSummary& sum, const RunControl& control) {
    train::FinetuneResult res;
    const train::LabelledSplit split = train::split_labelled(y, fo);
    control.report({"finetune", 0, "logistic regression on " + std::to_string(split.train.size()) + " cells", 0});
    s.linear.fit(gather_rows(z, split.train), gather(y, split.train), n_classes, linear_options(o), control);
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
    return res;
}

// Step 5. The confidence's temperature on the validation cells; the linear head refitted on every
// labelled cell; the typicality of each type's cells in the detector's space.
void calibrate(const nn::Matrix& h, const nn::Matrix& z, const std::vector<int32_t>& y, int n_classes,
               const train::FinetuneResult& res, bool head_mode, const AnnotateOptions& o, AnnotatorState& s,
               FitSummary& sum, const RunControl& control) {
    nn::Matrix act, logits;
    s.head(z, act, logits);
    const std::vector<int32_t> ytr = gather(y, res.train_cells), yva = gather(y, res.val_cells);
    if (o.calibrate_confidence) sum.temperature = fit_temperature(gather_rows(logits, res.val_cells), yva);
    if (s.use_linear) {
        // The validation share has done its work: the final fit sees every labelled cell.
        LogisticOptions lo = linear_options(o);
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
}

}  // namespace

Annotator Annotator::fit(const CellMatrix& reference, const std::vector<std::string>& labels, const CellMatrix* query,
                         const Model* model, const AnnotateOptions& o, const RunControl& control) {
    if (int64_t(labels.size()) != reference.n_cells)
        throw std::invalid_argument("annotate: one label per reference cell is needed");
    Annotator a;
    a.options_ = o;
    AnnotatorState& s = *a.s_;
    FitSummary& sum = a.summary_;

    // 1. Types.
    const ReferenceClasses rc = reference_classes(labels, o.labels_name, o.labels);
    sum.classes = rc.names;
    sum.class_counts = rc.counts;
    sum.warnings = rc.warnings;
    a.codes_ = rc.codes;
    const int n_classes = int(rc.names.size());

    // 2. Mode and genes.
    const train::FinetuneMode mode = runnable_mode(reference, model, o, s, sum.warnings);
    sum.mode = mode;
    sum.seed = o.seed;
    sum.unknown_rule = o.unknown.rule;
    sum.alpha = o.unknown.alpha;
    sum.min_probability = o.unknown.min_probability;
    sum.shared_genes_only = o.shared_genes_only;
    sum.has_model = mode != train::FinetuneMode::Scratch && !s.no_encoder;
    sum.transform = sum.has_model ? model->info.transform : o.transform_without_model;
    fit_gene_space(reference, query, model, o, s, sum);

    // 3. Values of the labelled cells, in the space.
    const LabelledCells l = labelled_cells(reference, rc.codes, o, s, sum);
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
        if (!s.no_encoder) s.frozen = compact_encoder(model->encoder, s.space.model_row, s.frozen_row, false);
        h = s.encoded(l.x, control);
        z = s.use_linear || o.tuned_head ? fit_head_features(reference, l, h, n_classes, o, s, control) : h;
        if (s.use_linear) {
            res = fit_linear_head(z, l.y, n_classes, fo, o, s, sum, control);
        } else {
            if (o.tuned_head) {
                fo.lr = 1e-2;
                fo.stop_on = train::EarlyStop::ValidationLoss;
            }
            res = train::finetune_head(z, l.y, n_classes, fo, control);
        }
    } else {
        train::EncoderInit init;
        EncoderWeights compact;
        std::vector<int32_t> rows32;
        if (mode == train::FinetuneMode::Full) {
            compact = compact_encoder(model->encoder, s.space.model_row, rows32, true);
            init.weights = &compact;
            init.gene_to_row = rows32;
        }
        res = train::finetune(nn::CsrRef::of(l.x), l.y, n_classes, init, fo, control);
        h = res.classifier.embed(nn::CsrRef::of(l.x), control.threads);
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
    calibrate(h, z, l.y, n_classes, res, head_mode, o, s, sum, control);
    return a;
}

}  // namespace scpt::annotate
