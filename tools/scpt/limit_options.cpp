// --max-* options: the input limits of docs/LIMITS.md, on the top-level app so that they work
// before or after any subcommand (`scpt --max-cells 50000000 info big.h5ad`).
#include "tools/scpt/commands.hpp"

namespace scpt::cli {

void add_limit_options(CLI::App& app, Context& ctx) {
    Limits& l = ctx.limits;
    const auto axis = CLI::Range(int64_t(1), Limits::kMaxAxis);
    const auto positive = CLI::Range(int64_t(1), INT64_MAX);
    const std::string g = "Input limits (docs/LIMITS.md)";
    app.add_option("--max-cells", l.max_cells, "Most cells in one matrix (default 20,000,000)")->check(axis)->group(g);
    app.add_option("--max-genes", l.max_genes, "Most genes/features in one matrix or model (default 1,000,000)")
        ->check(axis)->group(g);
    app.add_option("--max-nonzeros", l.max_nonzeros, "Most stored values held at once (default 400,000,000, ~3.2 GB)")
        ->check(positive)->group(g);
    app.add_option("--max-dense-values", l.max_dense_values, "Most cells x genes of a dense matrix (default 40,000,000,000)")
        ->check(positive)->group(g);
    app.add_option("--max-model-bytes", l.max_model_bytes, "Largest decompressed model (default 1,000,000,000)")
        ->check(positive)->group(g);
    app.add_option("--max-inflated-bytes", l.max_inflated_bytes, "Most bytes one gzip file may inflate to (default 2,000,000,000)")
        ->check(positive)->group(g);
    // Subcommands hand options they do not know to the app, so the limits go anywhere on the line.
    app.fallthrough();
}

}  // namespace scpt::cli
