#include "wasm/matrix_api.hpp"

#include <vector>

#include "core/data/value_kind.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_object.hpp"

namespace scpt::wasm {

using emscripten::val;

val matrix_info(const Session& s, const std::string& name) {
    const CellMatrix& m = s.matrix(name);
    const ValueSummary vs = detect_value_kind(m);
    val out = val::object();
    out.set("cells", double(m.n_cells));
    out.set("genes", double(m.n_genes));
    out.set("nnz", double(m.nnz()));
    out.set("valueKind", std::string(value_kind_name(vs.kind)));
    out.set("valueExplanation", vs.explanation);
    out.set("integral", vs.non_integers == 0);
    out.set("min", vs.min);
    out.set("max", vs.max);
    out.set("logBase", vs.log_base);
    val notes = string_array(m.notes);
    out.set("notes", notes);
    val obs = val::array();
    for (const auto& c : m.obs) {
        val o = val::object();
        o.set("name", c.name);
        o.set("numeric", c.is_numeric());
        o.set("levels", double(c.level_count()));
        obs.call<void>("push", o);
    }
    out.set("obs", obs);
    return out;
}

val matrix_obs(const Session& s, const std::string& name, const std::string& column) {
    const CellMatrix& m = s.matrix(name);
    const ObsColumn* c = m.find_obs(column);
    if (!c) throw InputError(name + " has no metadata column '" + column + "'");
    val out = val::object();
    out.set("name", c->name);
    out.set("numeric", c->is_numeric());
    if (c->is_numeric()) {
        out.set("numbers", copy_of(c->numbers));
    } else {
        val levels = string_array(c->levels);
        out.set("levels", levels);
        out.set("codes", copy_of(c->codes));
    }
    return out;
}

}  // namespace scpt::wasm

namespace scpt::wasm {
val matrix_cell_stats(const Session& s, const std::string& name) {
    const CellMatrix& m = s.matrix(name);
    std::vector<float> total(size_t(m.n_cells), 0.0f);
    std::vector<int32_t> detected(size_t(m.n_cells), 0);
    for (int64_t c = 0; c < m.n_cells; ++c) {
        double t = 0;
        int32_t d = 0;
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k) {
            t += m.values[size_t(k)];
            d += m.values[size_t(k)] != 0;
        }
        total[size_t(c)] = float(t);
        detected[size_t(c)] = d;
    }
    val out = val::object();
    out.set("total", copy_of(total));
    out.set("detected", copy_of(detected));
    return out;
}
}  // namespace scpt::wasm
