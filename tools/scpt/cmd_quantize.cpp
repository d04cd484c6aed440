// PLACEHOLDER until its issue lands: registers 'scpt quantize' and refuses to run.
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
void add_quantize(CLI::App& app, Context&) {
    auto* sub = app.add_subcommand("quantize", "(not built yet)");
    sub->allow_extras();
    sub->callback([] { throw InputError("'scpt quantize' is not available in this build yet"); });
}
}  // namespace scpt::cli
