#include "wasm/cell_map_api.hpp"

#include <algorithm>

#include "core/annotate/pca.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/layout/cell_map.hpp"
#include "core/model/model.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"

namespace scpt::wasm {

using emscripten::val;

std::vector<float> expression_pcs(const CellMatrix& src, const std::string& what, int pca_dims, uint64_t seed,
                                  const RunControl& rc, int* dims) {
    const int64_t n = src.n_cells;
    if (n < 3 || src.n_genes < 3) throw input_error(what, "has too few cells or genes for principal components");
    rc.report({"map", 0.0, "normalising", 0});
    CellMatrix x;
    x.n_cells = src.n_cells;
    x.n_genes = src.n_genes;
    x.indptr = src.indptr;
    x.indices = src.indices;
    x.values = src.values;
    TransformOptions to;
    to.allow_scaled = true;  // a map of z-scores is still a map
    to.what = what;
    apply_transform(x, plan_transform(detect_value_kind(src), Transform::CountsPer10kLog1p, to, nullptr), &rc);

    rc.report({"map", 0.1, "principal components", 0});
    PcaOptions po;
    po.components = int(std::max<int64_t>(2, std::min<int64_t>({int64_t(pca_dims), n - 1, src.n_genes - 1})));
    po.seed = seed;
    PcaResult p = pca(x, po, rc);
    CellMatrix().indices.swap(x.indices);
    const int d = int(p.scores.cols());
    std::vector<float> emb(size_t(n) * size_t(d));
    for (int64_t c = 0; c < n; ++c)
        for (int j = 0; j < d; ++j) emb[size_t(c) * size_t(d) + size_t(j)] = p.scores(c, j);
    *dims = d;
    return emb;
}

val expression_map(Session& s, const std::string& role, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    const CellMatrix& src = s.matrix(role);
    int pca_dims = 30;
    uint64_t seed = 0;
    if (!options.isUndefined() && !options.isNull()) {
        if (options["pcaDims"].isNumber()) pca_dims = options["pcaDims"].as<int>();
        if (options["seed"].isNumber()) seed = uint64_t(options["seed"].as<double>());
    }
    const int64_t n = src.n_cells;
    if (n < 3 || src.n_genes < 3) return copy_of(std::vector<float>(size_t(2 * n), 0.0f));
    int d = 0;
    std::vector<float> emb = expression_pcs(src, role, pca_dims, seed, rc, &d);
    CellMapOptions co;
    co.seed = seed;
    CellMap cm = cell_map(emb.data(), n, d, co, rc);
    rc.report({"map", 1.0, "map done", 0});
    return copy_of(cm.xy);
}

val embedding_map(Session& s, const std::string& role, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    const Embedding& e = s.embedding(role);
    CellMapOptions co;
    if (!options.isUndefined() && !options.isNull() && options["seed"].isNumber())
        co.seed = uint64_t(options["seed"].as<double>());
    if (e.cells < 3) return copy_of(std::vector<float>(size_t(2 * e.cells), 0.0f));
    CellMap cm = cell_map(e.values.data(), e.cells, e.dims, co, rc);
    rc.report({"map", 1.0, "map done", 0});
    return copy_of(cm.xy);
}

void set_embedding(Session& s, const std::string& role, val values, int dims) {
    const CellMatrix& m = s.matrix(role);
    if (dims < 1 || js_length(values) != size_t(m.n_cells) * size_t(dims))
        throw InputError("an embedding of " + std::to_string(m.n_cells) + " cells x " + std::to_string(dims) +
                         " values was expected");
    Embedding e;
    e.cells = m.n_cells;
    e.dims = dims;
    e.values = from_js<float>(values);
    s.put_embedding(role, std::move(e));
}

}  // namespace scpt::wasm
