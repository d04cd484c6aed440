#include "core/app/pseudo_label_view.hpp"

#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/nn/sparse_batch.hpp"
#include "core/util/error.hpp"

namespace scpt::app {

namespace {
train::PseudoLabelOptions label_options(const PseudoLabelViewOptions& o, int phase) {
    train::PseudoLabelOptions po;
    po.seed = o.seed;
    po.kmeans_iters = o.kmeans_iters;
    po.phase = phase;
    return po;
}
}  // namespace

train::PseudoLabels expression_pseudo_labels(const CellMatrix& src, const PseudoLabelViewOptions& o,
                                             const RunControl& rc) {
    if (src.n_cells < 3) throw input_error(o.data_name, "has fewer than 3 cells: no pseudo-labels to make");
    CellMatrix x;
    x.n_cells = src.n_cells;
    x.n_genes = src.n_genes;
    x.indptr = src.indptr;
    x.indices = src.indices;
    x.values = src.values;
    TransformOptions to;
    to.allow_scaled = true;  // z-scores still cluster (as expression_pcs maps them)
    to.what = o.data_name;
    apply_transform(x, plan_transform(detect_value_kind(src), Transform::CountsPer10kLog1p, to, nullptr), &rc);
    rc.report({"kmeans", 0.0, "pseudo-labels: three K-means clusterings of the expression", 0});
    return train::pseudo_labels(nn::CsrRef::of(x), label_options(o, 1), rc);
}

train::PseudoLabels encoder_pseudo_labels(const nn::Matrix& h, const PseudoLabelViewOptions& o, const RunControl& rc) {
    if (h.rows() < 3) throw input_error(o.data_name, "has fewer than 3 cells: no pseudo-labels to make");
    rc.report({"kmeans", 0.0, "pseudo-labels: three K-means clusterings of the encoder's output", 0});
    return train::pseudo_labels(h, label_options(o, 2), rc);
}

}  // namespace scpt::app
