// The page's teaching view (web/ui/teaching.js): what scPretrain does, computed on the user's
// cells by the same core. The maps come from expressionMap / encodeCells + embeddingMap, the
// fine-tuning curve from annotateCells' onEpoch; here:
//   teachingPseudoLabels(session, role, {seed, source: 'expression' | 'encoder'}, onProgress)
//     -> {cells, k: [k1, k2, k3], labels: [Int32Array x 3], source}: the three K-means
//        pseudo-label sets pre-training makes (core/train/pseudo_labels.hpp). 'expression':
//        phase 1, on the cells' counts per 10k + log1p; 'encoder': phase 2, on the encoder's
//        output kept in the session for `role` (encodeCells first).
//   unassignedReasons(label, confidence, typicality, {unknown, alpha, minProbability})
//     -> {codes: Int8Array, names}: per cell why it is Unassigned (core's unassigned_reason;
//        codes index names: 0 "assigned", then the reasons), under the rule annotate ran with.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "core/annotate/unassigned_reason.hpp"
#include "core/app/pseudo_label_view.hpp"
#include "core/util/error.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/js_object.hpp"
#include "wasm/session.hpp"

namespace scpt::wasm {
namespace {

using emscripten::val;

val pseudo_label_sets(Session& s, const std::string& role, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    app::PseudoLabelViewOptions o;
    o.data_name = "the " + role + " cells";
    if (has(options, "seed")) {
        const double seed = options["seed"].isNumber() ? options["seed"].as<double>() : -1;
        if (!(seed >= 0 && seed <= 9.0e15)) throw InputError("seed must be a whole number >= 0");
        o.seed = uint64_t(seed);
    }
    const std::string source = text_or(options, "source", "expression");
    train::PseudoLabels pl;
    if (source == "expression") {
        pl = app::expression_pseudo_labels(s.matrix(role), o, rc);
    } else if (source == "encoder") {
        const Embedding& e = s.embedding(role);
        const nn::Matrix h = Eigen::Map<const nn::Matrix>(e.values.data(), e.cells, e.dims);
        pl = app::encoder_pseudo_labels(h, o, rc);
    } else {
        throw InputError("source must be expression or encoder");
    }
    val out = val::object();
    val k = val::array(), labels = val::array();
    for (int j = 0; j < 3; ++j) {
        k.call<void>("push", pl.k[size_t(j)]);
        labels.call<void>("push", copy_of(pl.labels[size_t(j)]));
    }
    out.set("cells", double(pl.labels[0].size()));
    out.set("k", k);
    out.set("labels", labels);
    out.set("source", source);
    return out;
}

val unassigned_reasons(val label, val confidence, val typicality, val options) {
    const auto l = from_js<int32_t>(label);
    const auto c = from_js<float>(confidence);
    const auto t = from_js<float>(typicality);
    if (c.size() != l.size() || t.size() != l.size())
        throw InputError("label, confidence and typicality must have one value per cell");
    annotate::UnknownTypeOptions o;
    if (has(options, "unknown")) {
        if (!options["unknown"].isString() || !annotate::parse_unknown_rule(options["unknown"].as<std::string>(), o.rule))
            throw InputError("unknown must be query-typicality, typicality, probability, either or none");
    }
    if (has(options, "alpha")) o.alpha = options["alpha"].as<double>();
    if (has(options, "minProbability")) o.min_probability = options["minProbability"].as<double>();
    std::vector<int8_t> codes(l.size());
    for (size_t i = 0; i < l.size(); ++i) codes[i] = int8_t(annotate::unassigned_reason(l[i], c[i], t[i], o));
    val names = val::array();
    for (auto r : {annotate::UnassignedReason::Assigned, annotate::UnassignedReason::Atypical,
                   annotate::UnassignedReason::LowProbability, annotate::UnassignedReason::Both,
                   annotate::UnassignedReason::Vote})
        names.call<void>("push", std::string(annotate::unassigned_reason_name(r)));
    val out = val::object();
    out.set("codes", copy_of(codes));
    out.set("names", names);
    return out;
}

}  // namespace
}  // namespace scpt::wasm

using emscripten::optional_override;
using emscripten::val;
using scpt::wasm::guarded;

EMSCRIPTEN_BINDINGS(scpt_teaching) {
    using scpt::wasm::Session;
    emscripten::function("teachingPseudoLabels",
                         optional_override([](Session& s, std::string role, val options, val on_progress) {
                             return guarded([&] { return scpt::wasm::pseudo_label_sets(s, role, options, on_progress); });
                         }));
    emscripten::function("unassignedReasons", optional_override([](val label, val confidence, val typicality, val options) {
                             return guarded([&] { return scpt::wasm::unassigned_reasons(label, confidence, typicality, options); });
                         }));
}
