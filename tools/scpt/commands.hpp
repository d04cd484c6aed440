// Each scpt subcommand lives in its own cmd_<name>.cpp and registers itself here.
#pragma once
#include <CLI/CLI.hpp>

#include "core/util/run_control.hpp"

namespace scpt::cli {

// Shared by all subcommands: the Ctrl-C flag and the progress printer on stderr.
struct Context {
    RunControl control;
    bool quiet = false;
};

void add_info(CLI::App& app, Context& ctx);
void add_pretrain(CLI::App& app, Context& ctx);
void add_quantize(CLI::App& app, Context& ctx);
void add_inspect(CLI::App& app, Context& ctx);
void add_annotate(CLI::App& app, Context& ctx);
void add_eval(CLI::App& app, Context& ctx);
void add_embed(CLI::App& app, Context& ctx);

}  // namespace scpt::cli
