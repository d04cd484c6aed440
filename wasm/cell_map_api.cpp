#include "wasm/cell_map_api.hpp"

#include <algorithm>

#include "core/app/embed.hpp"
#include "core/nn/tensor.hpp"
#include "core/layout/cell_map.hpp"
#include "core/model/model.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"

namespace scpt::wasm {

using emscripten::val;

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
