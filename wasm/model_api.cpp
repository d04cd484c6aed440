#include "wasm/model_api.hpp"

#include "core/app/embed.hpp"

#include <emscripten/bind.h>

#include "core/data/gene_match.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/model/encode.hpp"
#include "core/model/model_file.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/js_object.hpp"

namespace scpt::wasm {

using emscripten::val;

LoadedModel::LoadedModel(const ByteBuffer& bytes, const std::string& name)
    : model_(std::make_unique<Model>(read_model(bytes.bytes(), Limits{}, name))), name_(name) {}

LoadedModel::~LoadedModel() = default;

val LoadedModel::info() const {
    const Model& m = *model_;
    val o = val::object();
    o.set("name", name_);
    o.set("genes", double(m.encoder.genes));
    o.set("hidden", double(m.encoder.hidden));
    o.set("dtype", std::string(dtype_name(m.encoder.dtype)));
    o.set("transform", std::string(transform_name(m.info.transform)));
    o.set("formatVersion", double(m.info.format_version));
    o.set("created", m.info.created);
    o.set("toolVersion", m.info.tool_version);
    o.set("notes", m.info.notes);
    val ds = string_array(m.info.datasets);
    o.set("datasets", ds);
    val cls = val::array();
    for (const auto& c : m.classifiers) {
        val x = val::object();
        x.set("name", c.name);
        x.set("description", c.description);
        val names = string_array(c.classes);
        x.set("classes", names);
        cls.call<void>("push", x);
    }
    o.set("classifiers", cls);
    return o;
}

val encode_cells(Session& s, const std::string& role, const LoadedModel& lm, val on_progress) {
    RunControl rc = s.begin(on_progress);
    const Model& model = lm.model();
    const CellMatrix& src = s.matrix(role);
    app::EmbedOptions eo;
    eo.data_name = "the " + role + " cells";
    app::Embedded em = app::embed_cells(src, model, eo, rc);
    const RowMatrix& h = em.h;
    const GeneMatch& gm = em.genes;
    std::vector<std::string> notes = em.notes;
    notes.insert(notes.end(), em.warnings.begin(), em.warnings.end());
    Embedding e;
    e.cells = h.rows();
    e.dims = int(h.cols());
    e.values.assign(h.data(), h.data() + h.size());
    s.put_embedding(role, std::move(e));
    val o = val::object();
    o.set("cells", double(h.rows()));
    o.set("dims", double(h.cols()));
    o.set("matched", double(gm.matched));
    o.set("vocabulary", double(gm.vocab_size));
    o.set("summary", gm.summary());
    o.set("transform", em.transform);
    val nv = string_array(notes);
    o.set("notes", nv);
    return o;
}

}  // namespace scpt::wasm

using emscripten::optional_override;
using emscripten::val;
using scpt::wasm::guarded;

EMSCRIPTEN_BINDINGS(scpt_model) {
    using scpt::wasm::ByteBuffer;
    using scpt::wasm::LoadedModel;
    using scpt::wasm::Session;
    emscripten::class_<LoadedModel>("Model")
        .function("info", optional_override([](const LoadedModel& m) { return guarded([&] { return m.info(); }); }));
    // Model.read(bytes, name): a factory, so a bad file is a JS Error and not a half-made object.
    emscripten::function("readModel", optional_override([](const ByteBuffer& b, std::string name) {
                             return guarded([&] { return new LoadedModel(b, name); });
                         }),
                         emscripten::allow_raw_pointers());
    emscripten::function("encodeCells",
                         optional_override([](Session& s, std::string role, const LoadedModel& m, val on_progress) {
                             return guarded([&] { return scpt::wasm::encode_cells(s, role, m, on_progress); });
                         }));
}
