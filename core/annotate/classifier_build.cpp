#include "core/annotate/classifier_build.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "core/data/gene_match.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {

CellMatrix classifier_gene_panel(const CellMatrix& reference, const std::vector<std::string>& labels,
                                 const Model& model, int64_t count, const ClassifierBuildOptions& o) {
    GeneMatchOptions go;
    go.data_name = o.reference_name;
    go.vocab_name = "the model";
    const GeneMatch match = match_genes(reference, model.info.genes, go);
    TransformOptions to;
    to.allow_scaled = o.allow_scaled;
    to.what = o.reference_name;
    const CellTransform t = plan_transform(detect_value_kind(reference), model.info.transform, to, nullptr);
    // Per-gene sums over labelled cells, transformed a cell at a time (the transform is per cell).
    const int64_t G = reference.n_genes;
    std::vector<double> sum(size_t(G), 0), sq(size_t(G), 0);
    int64_t n = 0;
    for (int64_t i = 0; i < reference.n_cells; ++i) {
        if (is_unlabelled(labels[size_t(i)], o.labels)) continue;
        CellMatrix cell;
        cell.n_cells = 1;
        cell.n_genes = G;
        const int64_t b = reference.indptr[size_t(i)], e = reference.indptr[size_t(i) + 1];
        cell.indptr = {0, e - b};
        cell.indices.assign(reference.indices.begin() + b, reference.indices.begin() + e);
        cell.values.assign(reference.values.begin() + b, reference.values.begin() + e);
        apply_transform(cell, t);
        for (size_t k = 0; k < cell.values.size(); ++k) {
            const double v = cell.values[k];
            sum[size_t(cell.indices[k])] += v;
            sq[size_t(cell.indices[k])] += v * v;
        }
        ++n;
    }
    std::vector<int64_t> known;
    for (int64_t g = 0; g < G; ++g)
        if (match.column_to_vocab[size_t(g)] >= 0) known.push_back(g);
    auto var = [&](int64_t g) {
        const double m = n ? sum[size_t(g)] / double(n) : 0;
        return n ? sq[size_t(g)] / double(n) - m * m : 0;
    };
    std::stable_sort(known.begin(), known.end(), [&](int64_t a, int64_t b) { return var(a) > var(b); });
    if (count > 0 && int64_t(known.size()) > count) known.resize(size_t(count));
    std::sort(known.begin(), known.end());
    CellMatrix panel;
    panel.n_genes = int64_t(known.size());
    panel.indptr = {0};
    for (int64_t g : known) {
        panel.gene_ids.push_back(reference.gene_ids[size_t(g)]);
        panel.gene_symbols.push_back(reference.gene_symbols[size_t(g)]);
    }
    return panel;
}

ReferenceClassifier build_classifier(const CellMatrix& reference, const std::vector<std::string>& labels,
                                     const Model& model, const ClassifierBuildOptions& o, const RunControl& control) {
    if (int64_t(labels.size()) != reference.n_cells)
        throw std::invalid_argument("build_classifier: one label per reference cell is needed");
    const CellMatrix panel = classifier_gene_panel(reference, labels, model, o.genes, o);
    AnnotateOptions ao;
    ao.mode = train::FinetuneMode::Head;
    ao.head_classifier = AnnotateOptions::HeadClassifier::Linear;
    ao.reference_pcs = o.reference_pcs;
    ao.reference_genes = 0;  // a stored classifier holds encoder rows, PCs and weights, not genes
    ao.seed = o.seed;
    ao.shared_genes_only = true;
    ao.fall_back_without_model = false;
    ao.allow_scaled = o.allow_scaled;
    ao.labels = o.labels;
    ao.unknown.rule = UnknownRule::Probability;
    ao.unknown.min_probability = o.min_probability;
    ao.reference_name = o.reference_name;
    ao.labels_name = o.labels_name;
    ao.query_name = "the gene panel";
    const Annotator a = Annotator::fit(reference, labels, &panel, &model, ao, control);
    ReferenceClassifier c = a.export_classifier(o.name, model, o.min_probability);
    c.description = o.description;
    return c;
}

void put_classifier(Model& model, ReferenceClassifier c) {
    for (auto& have : model.classifiers)
        if (have.name == c.name) {
            have = std::move(c);
            return;
        }
    model.classifiers.push_back(std::move(c));
}

}  // namespace scpt::annotate
