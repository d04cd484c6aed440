// PLACEHOLDER until its issue lands: registers 'scpt info' and refuses to run.
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
void add_info(CLI::App& app, Context&) {
    auto* sub = app.add_subcommand("info", "(not built yet)");
    sub->allow_extras();
    sub->callback([] { throw InputError("'scpt info' is not available in this build yet"); });
}
}  // namespace scpt::cli
