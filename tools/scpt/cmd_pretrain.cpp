// PLACEHOLDER until its issue lands: registers 'scpt pretrain' and refuses to run.
#include "tools/scpt/commands.hpp"

namespace scpt::cli {
void add_pretrain(CLI::App& app, Context&) {
    auto* sub = app.add_subcommand("pretrain", "(not built yet)");
    sub->allow_extras();
    sub->callback([] { throw InputError("'scpt pretrain' is not available in this build yet"); });
}
}  // namespace scpt::cli
