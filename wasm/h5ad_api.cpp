#include "wasm/h5ad_api.hpp"

#include <emscripten/bind.h>

#include "core/annotate/annotated_h5ad.hpp"
#include "core/app/annotate_flow.hpp"
#include "core/io/h5_file_writer.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/js_object.hpp"

namespace scpt::wasm {

using emscripten::val;

val annotated_h5ad_bytes(const Session& s, int outcome, const std::string& role, val xy_js) {
    const app::AnnotateOutcome& o = s.outcome(outcome);
    if (o.flow == app::Flow::Groups)
        throw InputError("K-means groups are not cell types: the .h5ad is written for labelled cells "
                         "(give labels or pick a classifier, then annotate)");
    const CellMatrix& m = s.matrix(role);
    const annotate::Predictions& p = o.predictions;
    // The rows must still be the cells that were labelled (a matrix read since replaces them).
    for (size_t i = 0; i < p.cells.size(); ++i) {
        const int64_t r = p.cells[i];
        if (r < 0 || r >= m.n_cells || (i < p.barcodes.size() && size_t(r) < m.barcodes.size() && m.barcodes[size_t(r)] != p.barcodes[i]))
            throw InputError("the cells were replaced since they were annotated: annotate again to download the .h5ad");
    }
    std::vector<float> xy;
    if (!absent(xy_js)) {
        xy = from_js<float>(xy_js);
        if (xy.size() != 2 * p.cells.size())
            throw InputError("the map has " + std::to_string(xy.size() / 2) + " cells, the annotation " +
                             std::to_string(p.cells.size()) + ": annotate again");
    }
    io::H5FileWriter w;
    io::write_h5ad(annotate::annotated_h5ad(m, p, o.classes, xy), w);
    return copy_of(w.finish());
}

}  // namespace scpt::wasm

using emscripten::val;
using scpt::wasm::guarded;

EMSCRIPTEN_BINDINGS(scpt_h5ad) {
    emscripten::function("annotatedH5ad", emscripten::optional_override([](const scpt::wasm::Session& s, int outcome,
                                                                              const std::string& role, val xy) {
                             return guarded([&] { return scpt::wasm::annotated_h5ad_bytes(s, outcome, role, xy); });
                         }));
}
