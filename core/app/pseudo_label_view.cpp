#include "core/app/pseudo_label_view.hpp"

#include "core/app/embed.hpp"
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
    const CellMatrix x = normalised_expression(src, o.data_name, rc);
    rc.report({"kmeans", 0.0, "pseudo-labels: three K-means clusterings of the expression", 0});
    return train::pseudo_labels(nn::CsrRef::of(x), label_options(o, 1), rc);
}

train::PseudoLabels encoder_pseudo_labels(const nn::Matrix& h, const PseudoLabelViewOptions& o, const RunControl& rc) {
    if (h.rows() < 3) throw input_error(o.data_name, "has fewer than 3 cells: no pseudo-labels to make");
    rc.report({"kmeans", 0.0, "pseudo-labels: three K-means clusterings of the encoder's output", 0});
    return train::pseudo_labels(h, label_options(o, 2), rc);
}

}  // namespace scpt::app
