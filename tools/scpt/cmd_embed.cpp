// PLACEHOLDER until its issue lands: registers 'scpt embed' and refuses to run.
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
void add_embed(CLI::App& app, Context&) {
    auto* sub = app.add_subcommand("embed", "(not built yet)");
    sub->allow_extras();
    sub->callback([] { throw InputError("'scpt embed' is not available in this build yet"); });
}
}  // namespace scpt::cli
