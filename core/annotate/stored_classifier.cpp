#include "core/annotate/stored_classifier.hpp"

#include <algorithm>
#include <cstdio>

#include "core/annotate/confidence.hpp"
#include "core/annotate/space_cells.hpp"
#include "core/data/gene_match.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/model/encode.hpp"
#include "core/nn/activation.hpp"
#include "core/train/classifier.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<int32_t> rows_of(const Model& model, const ReferenceClassifier& c) {
    if (c.head == ReferenceClassifier::Head::Linear) return c.gene_rows;
    std::vector<int32_t> all(size_t(model.encoder.genes));
    for (size_t g = 0; g < all.size(); ++g) all[g] = int32_t(g);
    return all;
}

// Logits of cells whose classifier-gene values are x (transformed) and encoder output h; for the
// Linear head, `rms` (when given) gets each cell's root mean square standardised feature.
nn::Matrix logits_of(const ReferenceClassifier& c, const CellMatrix& x, const nn::Matrix& h, Eigen::VectorXf* rms) {
    const int64_t C = int64_t(c.classes.size());
    if (c.head == ReferenceClassifier::Head::Mlp) {
        Eigen::Map<const RowMajor> w1(c.fc1_w.data(), c.h1, h.cols()), w2(c.fc2_w.data(), C, c.h1);
        Eigen::Map<const Eigen::RowVectorXf> b1(c.fc1_b.data(), c.h1), b2(c.fc2_b.data(), C);
        nn::Matrix a = (h * w1.transpose()).rowwise() + b1;
        nn::sigmoid_inplace(a);
        return (a * w2.transpose()).rowwise() + b2;
    }
    const int64_t H = h.cols(), F = H + c.pcs;
    nn::Matrix f(h.rows(), F);
    f.leftCols(H) = h;
    if (c.pcs > 0) {
        // (x - mean) L for sparse x: x L - mean L, the second term once for every cell.
        Eigen::Map<const RowMajor> L(c.pca_loadings.data(), int64_t(c.gene_rows.size()), c.pcs);
        Eigen::Map<const Eigen::RowVectorXf> mean(c.pca_mean.data(), int64_t(c.pca_mean.size()));
        const Eigen::RowVectorXf offset = mean * L;
        for (int64_t i = 0; i < x.n_cells; ++i) {
            Eigen::RowVectorXf s = -offset;
            for (int64_t k = x.indptr[size_t(i)]; k < x.indptr[size_t(i) + 1]; ++k)
                s += x.values[size_t(k)] * L.row(x.indices[size_t(k)]);
            f.row(i).rightCols(c.pcs) = s;
        }
    }
    Eigen::Map<const Eigen::RowVectorXf> fm(c.feature_mean.data(), F), fs(c.feature_scale.data(), F);
    const nn::Matrix z = (f.rowwise() - fm).array().rowwise() * fs.array();
    if (rms) *rms = (z.rowwise().squaredNorm() / float(F)).array().sqrt();
    Eigen::Map<const RowMajor> w(c.linear_w.data(), C, F);
    Eigen::Map<const Eigen::RowVectorXf> b(c.linear_b.data(), C);
    return (z * w.transpose()).rowwise() + b;
}

}  // namespace

std::vector<ModelGene> classifier_genes(const Model& model, const ReferenceClassifier& c) {
    std::vector<ModelGene> genes;
    for (int32_t r : rows_of(model, c)) genes.push_back(model.info.genes[size_t(r)]);
    return genes;
}

std::string classifier_names(const Model& model) {
    std::string s;
    for (const auto& c : model.classifiers) s += (s.empty() ? "" : ", ") + c.name;
    return s.empty() ? "none" : s;
}

Predictions predict_with_classifier(const Model& model, const std::string& name, const CellMatrix& m,
                                    const ClassifierOptions& o, const RunControl& control) {
    const ReferenceClassifier* c = model.find_classifier(name);
    if (!c)
        throw InputError("the model has no classifier named '" + name + "' (it has: " + classifier_names(model) + ")");
    return predict_with_classifier(model, *c, m, o, control);
}

Predictions predict_with_classifier(const Model& model, const ReferenceClassifier& c, const CellMatrix& m,
                                    const ClassifierOptions& o, const RunControl& control) {
    c.validate("the model", model.encoder.hidden);
    const std::vector<int32_t> rows = rows_of(model, c);
    const std::vector<ModelGene> vocab = classifier_genes(model, c);
    const int64_t S = int64_t(vocab.size()), C = int64_t(c.classes.size());

    Predictions p;
    GeneMatchOptions go;
    go.min_matched = o.min_matched;
    go.data_name = o.data_name;
    go.vocab_name = "classifier '" + c.name + "'";
    p.genes.match = match_genes(m, vocab, go);
    p.genes.column = p.genes.match.column_to_vocab;
    p.genes.matched = p.genes.match.matched;
    p.genes.summary = p.genes.match.summary();
    for (const auto& n : p.genes.match.notes) p.warnings.push_back(n);

    TransformOptions to;
    to.allow_scaled = o.allow_scaled;
    to.what = o.data_name;
    const CellTransform t = plan_transform(detect_value_kind(m), model.info.transform, to, &p.warnings);
    p.transform = t.description();

    const bool linear = c.head == ReferenceClassifier::Head::Linear;
    const double temperature = linear ? double(c.calibration[0]) : 1.0;
    double min_p = o.min_probability;
    if (min_p < 0) min_p = linear ? double(c.calibration[1]) : 0.0;

    const int64_t n = m.n_cells;
    p.cells.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i) p.cells[size_t(i)] = i;
    p.allocate(m, C, o.keep_embedding ? model.encoder.hidden : 0);
    if (o.feature_rms) o.feature_rms->assign(linear ? size_t(n) : 0, 0.0f);
    RunControl quiet = control;  // encoding progress is reported as the prediction's
    quiet.progress = nullptr;
    const int64_t chunk = std::max<int64_t>(1, o.chunk_cells);
    for (int64_t b = 0; b < n; b += chunk) {
        control.check_cancel();
        const int64_t e = std::min(n, b + chunk);
        const CellMatrix x = space_range(m, b, e, p.genes.column, S, t);
        const nn::Matrix h = encode(x, rows, model.encoder, {}, quiet);
        Eigen::VectorXf rms;
        const nn::Matrix prob = softmax_temperature(logits_of(c, x, h, o.feature_rms && linear ? &rms : nullptr), temperature);
        if (o.feature_rms && linear)
            for (int64_t i = b; i < e; ++i) (*o.feature_rms)[size_t(i)] = rms(i - b);
        for (int64_t i = b; i < e; ++i) {
            int64_t best = 0;
            prob.row(i - b).maxCoeff(&best);
            p.best[size_t(i)] = int32_t(best);
            p.confidence[size_t(i)] = prob(i - b, best);
            p.label[size_t(i)] = double(prob(i - b, best)) < min_p ? -1 : int32_t(best);
        }
        p.probabilities.middleRows(b, e - b) = prob;
        if (o.keep_embedding) p.embedding.middleRows(b, e - b) = h;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%lld of %lld cells", (long long)e, (long long)n);
        control.report({"predict", double(e) / double(n), buf, double(e)});
    }
    return p;
}

}  // namespace scpt::annotate
