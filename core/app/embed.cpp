#include "core/app/embed.hpp"

#include <algorithm>

#include "core/stats/pca.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/util/error.hpp"

namespace scpt::app {

Embedded embed_cells(CellMatrix m, const Model& model, const EmbedOptions& o, const RunControl& rc) {
    Embedded e;
    GeneMatchOptions go;
    go.orthologs = o.orthologs;
    go.data_name = o.data_name;
    go.vocab_name = o.model_name;
    e.genes = match_genes(m, model.info.genes, go);
    e.notes = e.genes.notes;
    TransformOptions to;
    to.allow_scaled = o.allow_scaled;
    to.what = o.data_name;
    const CellTransform t = plan_transform(detect_value_kind(m), model.info.transform, to, &e.warnings);
    apply_transform(m, t, &rc);
    e.transform = t.description();
    e.h = encode(m, e.genes.column_to_vocab, model.encoder, EncodeOptions{}, rc);
    return e;
}

CellMatrix normalised_expression(const CellMatrix& src, const std::string& data_name, const RunControl& rc) {
    CellMatrix x;
    x.n_cells = src.n_cells;
    x.n_genes = src.n_genes;
    x.indptr = src.indptr;
    x.indices = src.indices;
    x.values = src.values;
    TransformOptions to;
    to.allow_scaled = true;  // z-scores still map and cluster
    to.what = data_name;
    apply_transform(x, plan_transform(detect_value_kind(src), Transform::CountsPer10kLog1p, to, nullptr), &rc);
    return x;
}

Eigen::MatrixXf expression_pcs(const CellMatrix& src, const ExpressionPcsOptions& o, const RunControl& rc) {
    const int64_t n = src.n_cells;
    if (n < 3 || src.n_genes < 3) throw input_error(o.data_name, "has too few cells or genes for principal components");
    rc.report({"map", 0.0, "normalising", 0});
    const CellMatrix x = normalised_expression(src, o.data_name, rc);

    rc.report({"map", 0.1, "principal components", 0});
    PcaOptions po;
    po.components = int(std::max<int64_t>(2, std::min<int64_t>({int64_t(o.components), n - 1, src.n_genes - 1})));
    po.seed = o.seed;
    return pca(x, po, rc).scores;
}

}  // namespace scpt::app
