// scpt quantize --in M --out M2 --type q8|q4|f16|f32: converts a model's encoder weights and
// reports what it saved (and, with --check, what it costs in encoder output on real cells).
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/model/quantize.hpp"
#include "tools/native/files.hpp"
#include "tools/native/model_files.hpp"
#include "tools/scpt/commands.hpp"
#include "tools/scpt/quantize_check.hpp"

namespace scpt::cli {
namespace {

struct QuantizeArgs {
    std::string in, out, type;
    int level = 3;
    bool no_compress = false;
    bool json = false;
    std::string check;          // a dataset to measure the encoder output error on
    int64_t check_cells = 5000;
};

std::string megabytes(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f MB", double(bytes) / 1e6);
    return buf;
}

void run(const QuantizeArgs& a, const Context& ctx) {
    DType to;
    if (!parse_dtype(a.type, to)) throw InputError("--type: '" + a.type + "' is not one of f32, f16, q8, q4");
    if (a.in == a.out) throw InputError("--out: must differ from --in (the original model would be lost)");
    ModelFileLayout layout;
    Model m = native::load_model(a.in, ctx.limits, &layout);
    const DType from = m.encoder.dtype;
    if (from == to) throw InputError(a.in + ": the encoder is already " + a.type);
    const EncoderWeights original = a.check.empty() ? EncoderWeights{} : m.encoder;
    if (to == DType::F32)
        m.encoder = dequantize(m.encoder);  // expanding back, e.g. to fine-tune; the values stay quantized
    else
        m.encoder = quantize(m.encoder, to);
    ctx.control.check_cancel();
    WriteOptions wo;
    wo.zstd_level = a.level;
    wo.compression = a.no_compress ? Compression::None : Compression::Auto;
    // Measured before writing: a check that fails (unreadable data) leaves no output behind.
    QuantizeCheck check;
    if (!a.check.empty()) {
        if (!ctx.quiet) std::cerr << "checking the encoder output on " << a.check << "\n";
        check = check_quantization(a.check, m, original, m.encoder, a.check_cells, ctx.control);
        if (!ctx.quiet)
            for (const auto& w : check.warnings) std::cerr << "warning: " << w << "\n";
    }
    const size_t out_bytes = native::save_model(a.out, m, wo);

    if (a.json) {
        nlohmann::ordered_json j = {{"in", a.in},          {"out", a.out},
                            {"from", dtype_name(from)}, {"to", dtype_name(to)},
                            {"in_bytes", layout.file_bytes}, {"out_bytes", out_bytes},
                            {"weight_bytes", m.encoder.weight_bytes()}};
        if (!a.check.empty())
            j["check"] = {{"data", a.check},           {"cells", check.cells},
                          {"genes_matched", check.genes_matched}, {"transform", check.transform},
                          {"max_abs", check.max_abs},  {"mean_abs", check.mean_abs}};
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << a.in << ": " << dtype_name(from) << ", " << megabytes(layout.file_bytes) << "\n"
              << a.out << ": " << dtype_name(to) << ", " << megabytes(out_bytes);
    if (out_bytes > 0) {
        char ratio[32];
        std::snprintf(ratio, sizeof ratio, " (%.2fx smaller)", double(layout.file_bytes) / double(out_bytes));
        std::cout << ratio;
    }
    std::cout << "\n";
    if (!a.check.empty()) {
        char line[256];
        std::snprintf(line, sizeof line,
                      "encoder output (sigmoid) vs %s on %lld cells of %s (%lld model genes matched): "
                      "max abs difference %.3g, mean %.3g\n",
                      dtype_name(from), (long long)check.cells, a.check.c_str(), (long long)check.genes_matched,
                      check.max_abs, check.mean_abs);
        std::cout << line;
    }
}

}  // namespace

void add_quantize(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<QuantizeArgs>();
    auto* sub = app.add_subcommand("quantize", "Convert a model's encoder weights to f16, q8 or q4 (smaller, faster to load)");
    sub->add_option("--in", args->in, "Model to convert (.scpt, normally f32)")->required();
    sub->add_option("--out", args->out, "Where to write the converted model")->required();
    sub->add_option("--type", args->type, "f16 (half floats), q8 (8-bit, per-gene scale), q4 (4-bit blocks of 32), f32")
        ->required();
    sub->add_option("--level", args->level, "zstd compression level 1-19 (default 3; higher levels are slower and no smaller for weights)")->check(CLI::Range(1, 19));
    sub->add_flag("--no-compress", args->no_compress, "Store the weights uncompressed (readable in place)");
    sub->add_option("--check", args->check,
                    "A dataset (any input scpt reads) to measure the change of the encoder output on");
    sub->add_option("--check-cells", args->check_cells, "Most cells of --check to use, evenly spaced (default 5000)")
        ->check(CLI::PositiveNumber);
    sub->add_flag("--json", args->json, "Print the report as JSON");
    sub->callback([args, &ctx] { run(*args, ctx); });
}

}  // namespace scpt::cli
