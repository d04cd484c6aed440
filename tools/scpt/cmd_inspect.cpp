// scpt inspect MODEL: what a model file holds, as JSON on stdout (for people and for scripts).
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/util/xxh64.hpp"
#include "tools/native/files.hpp"
#include "tools/native/model_files.hpp"
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
namespace {

struct InspectArgs {
    std::string model;
    bool genes = false;
};

nlohmann::ordered_json describe(const Model& m, const ModelFileLayout& layout, const std::string& path, bool with_genes) {
    using json = nlohmann::ordered_json;
    const EncoderWeights& e = m.encoder;
    json j;
    j["file"] = path;
    j["file_bytes"] = layout.file_bytes;
    {  // the whole file's hash, to tell one build of a model from another (models/MODEL.md records it)
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", (unsigned long long)xxh64(native::read_file(path)));
        j["file_xxh64"] = hex;
    }
    j["format_version"] = layout.format_version;
    j["compressed"] = layout.compressed;
    j["payload_bytes"] = layout.payload_bytes;
    j["genes"] = e.genes;
    j["hidden"] = e.hidden;
    j["dtype"] = dtype_name(e.dtype);
    j["weight_bytes"] = e.weight_bytes();
    j["transform"] = transform_name(m.info.transform);
    j["datasets"] = m.info.datasets;
    j["seed"] = m.info.seed;
    j["created"] = m.info.created;
    j["tool_version"] = m.info.tool_version;
    j["notes"] = m.info.notes;
    int64_t human = 0, mouse = 0, ensembl = 0;
    for (const auto& g : m.info.genes) {
        human += !g.human_symbol.empty();
        mouse += !g.mouse_symbol.empty();
        ensembl += !g.ensembl_id.empty();
    }
    j["vocabulary"] = {{"human_symbols", human}, {"mouse_symbols", mouse}, {"ensembl_ids", ensembl}};
    j["classifiers"] = json::array();
    for (const auto& c : m.classifiers)
        j["classifiers"].push_back({{"name", c.name},
                                    {"description", c.description},
                                    {"classes", c.classes},
                                    {"head", c.head == ReferenceClassifier::Head::Linear ? "linear" : "mlp"},
                                    {"genes", c.head == ReferenceClassifier::Head::Linear ? int64_t(c.gene_rows.size())
                                                                                          : m.encoder.genes},
                                    {"principal_components", c.pcs},
                                    {"hidden", c.head == ReferenceClassifier::Head::Linear ? int64_t(0) : c.h1},
                                    {"calibration", c.calibration}});
    j["tensors"] = json::array();
    for (const auto& t : layout.tensors)
        j["tensors"].push_back(
            {{"name", t.name}, {"dtype", dtype_name(t.dtype)}, {"shape", t.dims}, {"offset", t.offset}, {"bytes", t.size}});
    if (!layout.ignored_keys.empty() || !layout.ignored_tensors.empty())
        j["ignored"] = {{"metadata", layout.ignored_keys}, {"tensors", layout.ignored_tensors}};
    if (with_genes) {
        j["gene_list"] = json::array();
        for (const auto& g : m.info.genes) j["gene_list"].push_back({g.human_symbol, g.mouse_symbol, g.ensembl_id});
    }
    return j;
}

}  // namespace

void add_inspect(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<InspectArgs>();
    auto* sub = app.add_subcommand("inspect", "Print what a model file holds (dimensions, genes, training, classifiers) as JSON");
    sub->add_option("model", args->model, "Model file (.scpt)")->required();
    sub->add_flag("--genes", args->genes, "Also list the gene vocabulary: [human symbol, mouse symbol, Ensembl id] per encoder row");
    sub->callback([args, &ctx] {
        ModelFileLayout layout;
        const Model m = native::load_model(args->model, ctx.limits, &layout);
        // Invalid UTF-8 in free text is replaced rather than aborting the whole report.
        std::cout << describe(m, layout, args->model, args->genes).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                  << "\n";
    });
}

}  // namespace scpt::cli
