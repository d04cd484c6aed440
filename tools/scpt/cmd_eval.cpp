// PLACEHOLDER until its issue lands: registers 'scpt eval' and refuses to run.
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
void add_eval(CLI::App& app, Context&) {
    auto* sub = app.add_subcommand("eval", "(not built yet)");
    sub->allow_extras();
    sub->callback([] { throw InputError("'scpt eval' is not available in this build yet"); });
}
}  // namespace scpt::cli
