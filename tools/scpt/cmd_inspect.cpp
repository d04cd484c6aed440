// PLACEHOLDER until its issue lands: registers 'scpt inspect' and refuses to run.
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
void add_inspect(CLI::App& app, Context&) {
    auto* sub = app.add_subcommand("inspect", "(not built yet)");
    sub->allow_extras();
    sub->callback([] { throw InputError("'scpt inspect' is not available in this build yet"); });
}
}  // namespace scpt::cli
