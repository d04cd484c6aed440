// scpt info PATH: what scpt sees in an input — format, size, kind of values, gene species,
// metadata columns — as JSON on stdout. Bad input: exit 2 and one line on stderr (main.cpp).
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/data/gene_names.hpp"
#include "core/data/value_kind.hpp"
#include "tools/native/input.hpp"
#include "tools/scpt/commands.hpp"

namespace scpt::cli {

namespace {
struct InfoArgs {
    std::string path, genome, gene_column, layer, orientation = "auto";
    bool raw = false, all_features = false;
};
}  // namespace

void add_info(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<InfoArgs>();
    auto* sub = app.add_subcommand("info", "Describe an input (format, cells, genes, value kind, metadata) as JSON");
    sub->add_option("path", args->path, "10x folder or .h5, .h5ad, .loom, Cell BLAST .h5, matrix.mtx[.gz], CSV/TSV[.gz]")
        ->required();
    sub->add_option("--genome", args->genome, "10x .h5: the genome to read (default: the first)");
    sub->add_flag("--raw", args->raw, ".h5ad: read raw/X instead of X");
    sub->add_option("--layer", args->layer, ".h5ad: read layers/<name> instead of X");
    sub->add_option("--gene-column", args->gene_column, ".h5ad/.loom: the gene column holding symbols");
    sub->add_option("--orientation", args->orientation, "CSV/TSV: auto, genes-rows or cells-rows")
        ->check(CLI::IsMember({"auto", "genes-rows", "cells-rows"}));
    sub->add_flag("--all-features", args->all_features, "10x: keep features that are not gene expression");
    sub->callback([args, &ctx] {
        io::ReadOptions o;
        o.genome = args->genome;
        o.use_raw = args->raw;
        o.layer = args->layer;
        o.gene_column = args->gene_column;
        o.keep_all_features = args->all_features;
        o.orientation = args->orientation == "genes-rows"   ? io::Orientation::GenesAreRows
                        : args->orientation == "cells-rows" ? io::Orientation::CellsAreRows
                                                            : io::Orientation::Auto;
        o.control = &ctx.control;
        o.limits = ctx.limits;
        io::InputFormat fmt = io::InputFormat::Unknown;
        CellMatrix m = native::read_input(args->path, o, &fmt);
        ValueSummary v = detect_value_kind(m);
        nlohmann::ordered_json j;
        j["path"] = args->path;
        j["format"] = io::format_name(fmt);
        j["cells"] = m.n_cells;
        j["genes"] = m.n_genes;
        j["nnz"] = m.nnz();
        j["value_kind"] = value_kind_name(v.kind);
        j["values"] = {{"min", v.min}, {"max", v.max}, {"explanation", v.explanation}};
        j["species"] = species_name(guess_species(m.gene_ids, m.gene_symbols));
        j["genes_first"] = nlohmann::json::array();
        for (int64_t g = 0; g < std::min<int64_t>(5, m.n_genes); ++g) j["genes_first"].push_back(m.gene_symbols[size_t(g)]);
        j["notes"] = m.notes;
        nlohmann::ordered_json obs = nlohmann::ordered_json::object();
        for (const auto& c : m.obs)
            obs[c.name] = {{"kind", c.is_numeric() ? "numeric" : "categorical"}, {"levels", c.level_count()}};
        j["obs"] = obs;
        std::cout << j.dump(2) << "\n";
    });
}

}  // namespace scpt::cli
