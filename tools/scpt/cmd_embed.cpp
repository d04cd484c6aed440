// scpt embed --model M DATA --out E.tsv: the pre-trained encoder's embedding (hidden units, 200 in
// scPretrain) of every cell, as a TSV with a header (barcode, h1..hN). Values are transformed and
// genes matched as for annotation; written atomically.
#include <cstdio>
#include <iostream>

#include "core/app/embed.hpp"
#include "tools/native/files.hpp"
#include "tools/scpt/annotate_inputs.hpp"
#include "tools/scpt/commands.hpp"
#include "tools/scpt/progress_line.hpp"

namespace scpt::cli {

namespace {

struct EmbedArgs {
    std::string data, model, out, orthologs;
    bool allow_scaled = false;
    int threads = 1;
    MatrixArgs read;
};

void run(const EmbedArgs& a, Context& ctx) {
    native::AtomicFile out(a.out);
    ProgressLine line(ctx.quiet);
    RunControl rc = line.attach(ctx.control);
    rc.threads = a.threads;
    std::vector<std::string> warnings;
    ModelChoice mc = choose_model(a.model, false, nullptr);
    if (!mc.model) throw InputError("no model: pass --model FILE (no shipped models/default.scpt was found)");
    const auto orth = read_orthologs(a.orthologs);
    CellMatrix m = read_matrix(a.data, a.read, rc);
    app::EmbedOptions eo;
    eo.orthologs = orth ? &*orth : nullptr;
    eo.data_name = a.data;
    eo.model_name = mc.path;
    eo.allow_scaled = a.allow_scaled;
    const std::vector<std::string> barcodes = m.barcodes;
    const app::Embedded e = app::embed_cells(std::move(m), *mc.model, eo, rc);
    const RowMatrix& h = e.h;
    warnings = e.warnings;
    std::string buf = "barcode";
    for (int64_t j = 0; j < h.cols(); ++j) buf += "\th" + std::to_string(j + 1);
    buf += '\n';
    char num[32];
    for (int64_t i = 0; i < h.rows(); ++i) {
        buf += tsv_cell(barcodes[size_t(i)]);
        for (int64_t j = 0; j < h.cols(); ++j) {
            std::snprintf(num, sizeof num, "\t%.6g", double(h(i, j)));
            buf += num;
        }
        buf += '\n';
        if (buf.size() > (1u << 22)) {
            out.write(buf);
            buf.clear();
            rc.check_cancel();
        }
    }
    out.write(buf);
    out.commit();
    line.finish();
    if (ctx.quiet) return;
    std::cerr << e.genes.summary() << "\nvalues: " << e.transform << "\n";
    for (const auto& n : e.notes) std::cerr << "note: " << n << "\n";
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    std::cerr << "wrote " << a.out << ": " << h.rows() << " cells x " << h.cols() << " dimensions\n";
}

}  // namespace

void add_embed(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<EmbedArgs>();
    auto* sub = app.add_subcommand("embed", "Write the pre-trained encoder's embedding of every cell (TSV)");
    sub->add_option("data", a->data, "Cells: 10x folder, .h5, .h5ad, .loom, .mtx, CSV/TSV")->required();
    sub->add_option("--model", a->model, "Model file (default: the shipped models/default.scpt)");
    sub->add_option("--out", a->out, "TSV to write: barcode, h1..hN")->required();
    sub->add_option("--orthologs", a->orthologs, "Human/mouse one-to-one ortholog table");
    sub->add_flag("--allow-scaled", a->allow_scaled, "Accept z-scored values instead of refusing them");
    sub->add_option("--threads", a->threads, "Worker threads")->check(CLI::Range(1, 256));
    add_matrix_options(sub, a->read);
    sub->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace scpt::cli
