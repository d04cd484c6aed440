#include "wasm/cell_map_api.hpp"

#include <algorithm>

#include "core/app/embed.hpp"
#include "core/nn/tensor.hpp"
#include "core/layout/cell_map.hpp"
#include "core/model/model.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_object.hpp"

namespace scpt::wasm {

using emscripten::val;

val expression_map(Session& s, const std::string& role, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    const CellMatrix& src = s.matrix(role);
    const int pca_dims = int(number_or(options, "pcaDims", 30));
    const uint64_t seed = uint64_t(number_or(options, "seed", 0));
    const int64_t n = src.n_cells;
    if (n < 3 || src.n_genes < 3) return copy_of(std::vector<float>(size_t(2 * n), 0.0f));
    app::ExpressionPcsOptions po;
    po.components = pca_dims;
    po.seed = seed;
    po.data_name = role;
    const nn::Matrix emb = app::expression_pcs(src, po, rc);  // row-major: one cell's components together
    CellMapOptions co;
    co.seed = seed;
    CellMap cm = cell_map(emb.data(), n, int(emb.cols()), co, rc);
    rc.report({"map", 1.0, "map done", 0});
    return copy_of(cm.xy);
}

namespace {

val map_of(const float* values, int64_t cells, int dims, const val& options, const RunControl& rc) {
    CellMapOptions co;
    co.seed = uint64_t(number_or(options, "seed", double(co.seed)));
    if (cells < 3 || dims < 1) return copy_of(std::vector<float>(size_t(2 * cells), 0.0f));
    CellMap cm = cell_map(values, cells, dims, co, rc);
    rc.report({"map", 1.0, "map done", 0});
    return copy_of(cm.xy);
}

}  // namespace

val embedding_map(Session& s, const std::string& role, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    const Embedding& e = s.embedding(role);
    return map_of(e.values.data(), e.cells, e.dims, options, rc);
}

val outcome_map(Session& s, int outcome, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    const annotate::Predictions& p = s.outcome(outcome).predictions;
    // The embedding is row-major (one cell's values together), as cell_map reads it.
    const int64_t cells = int64_t(p.cells.size());
    const int dims = p.embedding.rows() == cells ? int(p.embedding.cols()) : 0;  // none: all at the origin
    return map_of(p.embedding.data(), cells, dims, options, rc);
}

}  // namespace scpt::wasm
