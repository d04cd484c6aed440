// Each scpt subcommand lives in its own cmd_<name>.cpp and registers itself here.
#pragma once
#include <CLI/CLI.hpp>

#include "core/util/limits.hpp"
#include "core/util/run_control.hpp"

namespace scpt::cli {

// Shared by all subcommands: the Ctrl-C flag, the progress printer on stderr, and the input
// limits (docs/LIMITS.md), which --max-cells, --max-genes, ... raise or lower.
struct Context {
    RunControl control;
    bool quiet = false;
    Limits limits;
};

// Registers --max-cells, --max-genes, --max-nonzeros, --max-dense-values, --max-model-bytes and
// --max-inflated-bytes on the top-level app (usable before or after the subcommand).
void add_limit_options(CLI::App& app, Context& ctx);

void add_info(CLI::App& app, Context& ctx);
void add_pretrain(CLI::App& app, Context& ctx);
void add_quantize(CLI::App& app, Context& ctx);
void add_inspect(CLI::App& app, Context& ctx);
void add_annotate(CLI::App& app, Context& ctx);
void add_eval(CLI::App& app, Context& ctx);
void add_embed(CLI::App& app, Context& ctx);
void add_classifier(CLI::App& app, Context& ctx);

}  // namespace scpt::cli
