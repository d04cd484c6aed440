// PLACEHOLDER until its issue lands: registers 'scpt annotate' and refuses to run.
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
void add_annotate(CLI::App& app, Context&) {
    auto* sub = app.add_subcommand("annotate", "(not built yet)");
    sub->allow_extras();
    sub->callback([] { throw InputError("'scpt annotate' is not available in this build yet"); });
}
}  // namespace scpt::cli
