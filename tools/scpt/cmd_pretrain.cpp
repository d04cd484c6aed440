// scpt pretrain --out MODEL [options] DATA...: scPretrain pre-training of an encoder on unlabelled
// datasets (core/train/pretrain_corpus.hpp), written as a model file. A progress line on stderr
// (phase, epoch, loss, time left; redrawn in place on a terminal). Ctrl-C stops between steps and
// leaves no file behind: the model is written to a temporary file and renamed only when complete.
// Under mpirun (docs/PRETRAIN.md) every rank trains its share of the datasets and rank 0 alone
// prints and writes the model; --checkpoint DIR makes a killed run resumable.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>

#include "core/io/gene_tables.hpp"
#include "core/model/model_file.hpp"
#include "core/train/pretrain_corpus.hpp"
#include "tools/native/files.hpp"
#include "tools/native/input.hpp"
#include "tools/native/mpi_collective.hpp"
#include "tools/scpt/commands.hpp"
#include "tools/native/pretrain_checkpoint.hpp"
#include "tools/native/pretrain_inputs.hpp"
#include "tools/native/spilled_dataset.hpp"
#include "tools/scpt/progress_line.hpp"

namespace scpt::cli {

namespace {

struct PretrainArgs {
    std::string out, transform = "cp10k_log1p", orthologs, ensembl_ids, corpus, checkpoint, scratch;
    std::vector<std::string> data;
    int epochs = 50, phases = 2, threads = 1, min_datasets = 1, batches = 30;
    int stop_after_epochs = 0;  // tests: end as a kill would, after this many epochs (0: never)
    uint64_t seed = 0;
    int64_t chunk_cells = 0;  // 0: every dataset in memory
    int64_t step_cells = train::PretrainOptions{}.max_step_cells;
};

std::string today() {
    std::time_t t = std::time(nullptr);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
    return buf;
}

void run_pretrain(const PretrainArgs& a, Context& ctx, train::Collective& comm) {
    const bool lead = comm.rank() == 0;
    // Opened first: an unwritable destination fails before the work, not after it. Rank 0 only.
    // Over several ranks it is only tried now (and opened again at the end): mpirun ends its ranks
    // by a signal and then SIGKILL on Ctrl-C, which would leave the temporary file behind.
    std::optional<native::AtomicFile> out;
    if (lead) out.emplace(a.out);
    if (comm.size() > 1) out.reset();
    auto t0 = std::chrono::steady_clock::now();
    ProgressLine line(ctx.quiet || !lead, ProgressLine::OffTerminal::EveryEvent);  // in logs: a line per epoch
    RunControl rc = line.attach(ctx.control);
    rc.threads = a.threads;

    train::CorpusOptions o;
    o.transform = a.transform == "cp10k_log1p" ? Transform::CountsPer10kLog1p : Transform::Log1p;
    o.min_datasets = a.min_datasets;
    o.pretrain.max_epochs = a.epochs;
    o.pretrain.phases = a.phases;
    o.pretrain.seed = a.seed;
    o.pretrain.chunk_cells = a.chunk_cells;
    o.pretrain.batches_per_epoch = a.batches;
    o.pretrain.max_step_cells = a.step_cells;
    o.comm = &comm;
    OrthologTable orth;
    GeneIdTable ids;
    if (!a.orthologs.empty()) {
        orth = io::parse_orthologs(native::read_file(a.orthologs), a.orthologs);
        o.orthologs = &orth;
    }
    if (!a.ensembl_ids.empty()) {
        ids = io::parse_gene_id_table(native::read_file(a.ensembl_ids), a.ensembl_ids);
        o.ensembl_ids = &ids;
    }
    std::vector<std::string> paths = a.data;
    if (!a.corpus.empty())
        for (auto& p : native::parse_corpus_manifest(native::read_file(a.corpus), a.corpus)) paths.push_back(std::move(p));
    if (paths.empty()) throw InputError("scpt pretrain: no datasets (give paths, --corpus FILE, or both)");
    if (int64_t(paths.size()) < comm.size())
        throw InputError("scpt pretrain: " + std::to_string(paths.size()) + " datasets for " + std::to_string(comm.size()) +
                         " ranks; each rank needs at least one whole dataset");

    std::optional<native::CheckpointDir> ckdir;
    std::optional<std::string> resume;
    if (!a.checkpoint.empty()) {
        ckdir.emplace(a.checkpoint, comm.rank(), comm.size());
        resume = ckdir->latest(comm);
        if (resume) {
            o.checkpoint.resume = &*resume;
            if (lead && !ctx.quiet)
                std::cerr << "resuming from " << a.checkpoint << " after epoch " << ckdir->resumed_epochs() << "\n";
        }
        o.checkpoint.save = [&](const std::string& state, int epochs_done) {
            ckdir->save(state, epochs_done);
            if (a.stop_after_epochs > 0 && epochs_done >= a.stop_after_epochs) throw Cancelled();
        };
    }

    const std::string scratch = a.chunk_cells > 0 ? (a.scratch.empty() ? native::default_scratch_dir() : a.scratch) : "";
    std::vector<train::CorpusDataset> datasets = native::read_shard(paths, comm, rc, nullptr, scratch);
    train::PretrainedModel r = train::pretrain_model(datasets, o, rc);
    line.finish();
    if (!lead) return;
    r.model.info.created = today();
    std::string notes = "scpt pretrain --epochs " + std::to_string(a.epochs) + " --phases " + std::to_string(a.phases) +
                        " --seed " + std::to_string(a.seed) + " --transform " + a.transform;
    if (a.batches != 30) notes += " --batches " + std::to_string(a.batches);
    if (a.chunk_cells > 0) notes += " --chunk-cells " + std::to_string(a.chunk_cells);
    if (a.step_cells != train::PretrainOptions{}.max_step_cells) notes += " --step-cells " + std::to_string(a.step_cells);
    notes += "; ";
    r.model.info.notes = notes + r.model.info.notes;
    rc.check_cancel();
    if (!out) out.emplace(a.out);
    out->write(write_model(r.model));
    out->commit();

    if (!ctx.quiet) {
        for (const auto& n : r.notes) std::cerr << "note: " << n << "\n";
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const auto& log = r.training.log;
        std::cerr << "wrote " << a.out << ": " << r.model.info.genes.size() << " genes, " << r.model.encoder.hidden
                  << " hidden units, " << log.size() << " epochs";
        if (!log.empty()) std::cerr << ", final loss " << log.back().loss;
        if (comm.size() > 1) std::cerr << ", " << comm.size() << " ranks";
        std::cerr << ", " << int(secs + 0.5) << " s\n";
    }
}

// One process, or every rank of an MPI job. An error on one rank would leave the others waiting
// in a sum: it is reported and the whole job ended (MPI_Abort). Cancelled arrives on every rank at
// the same step (the flag rides the gradient sum), so it ends the ranks normally.
void run(const PretrainArgs& a, Context& ctx) {
    if (!native::launched_by_mpi()) {
        train::SingleProcess one;
        run_pretrain(a, ctx, one);
        return;
    }
    auto comm = native::start_mpi();
    if (comm->size() == 1) {
        run_pretrain(a, ctx, *comm);
        return;
    }
    try {
        run_pretrain(a, ctx, *comm);
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& e) {
        std::cerr << "scpt pretrain: rank " << comm->rank() << " of " << comm->size() << ": " << e.what() << "\n";
        native::mpi_abort(dynamic_cast<const InputError*>(&e) ? 2 : 1);
    }
}

}  // namespace

void add_pretrain(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<PretrainArgs>();
    auto* sub = app.add_subcommand("pretrain", "Pre-train an encoder on unlabelled datasets (scPretrain) into a model file");
    sub->add_option("--out", a->out, "Model file to write")->required();
    sub->add_option("--epochs", a->epochs, "Epochs per phase at most (early stop after 5 without improvement)")
        ->check(CLI::Range(1, 100000));
    sub->add_option("--phases", a->phases, "1: pseudo-labels from expression only; 2: then from the encoder")
        ->check(CLI::IsMember({1, 2}));
    sub->add_option("--seed", a->seed, "Random seed (same seed and data: the same model, whatever the thread count)");
    sub->add_option("--threads", a->threads, "Worker threads")->check(CLI::Range(1, 256));
    sub->add_option("--transform", a->transform, "Values the encoder sees: cp10k_log1p (counts per 10k then log1p, default: transfers "
                                                 "better across technologies) or log1p (scPretrain's)")
        ->check(CLI::IsMember({"log1p", "cp10k_log1p"}));
    sub->add_option("--orthologs", a->orthologs, "Human/mouse one-to-one ortholog table (joins human and mouse data)");
    sub->add_option("--ensembl-ids", a->ensembl_ids, "Ensembl id -> symbol table (names datasets that only have ids)");
    sub->add_option("--min-datasets", a->min_datasets, "Keep genes present in at least this many datasets")
        ->check(CLI::Range(1, 100000));
    sub->add_option("--corpus", a->corpus, "Corpus manifest: one dataset path a line (# comments; relative to the "
                                           "manifest's folder), instead of or besides DATA");
    sub->add_option("--checkpoint", a->checkpoint, "Folder for a checkpoint after every epoch; rerunning the same "
                                                   "command resumes from it (docs/PRETRAIN.md)");
    sub->add_option("--chunk-cells", a->chunk_cells,
                    "Out of core: hold at most about N cells at once (datasets are copied to a scratch file and "
                    "read back in chunks; docs/LIMITS.md). 0, the default: every dataset in memory")
        ->check(CLI::Range(int64_t(0), int64_t(2000000000)));
    sub->add_option("--batches", a->batches, "Steps per epoch (scPretrain's 30); a step holds 1/N of each dataset's "
                                             "cells (more steps when --step-cells says so)")
        ->check(CLI::Range(1, 1000000));
    sub->add_option("--step-cells", a->step_cells,
                    "At most N of a rank's cells in one step: a larger shard gets more steps per epoch, so a step's "
                    "memory is bounded (docs/LIMITS.md). 0: no cap, 1/--batches of the shard whatever its size")
        ->capture_default_str()
        ->check(CLI::Range(int64_t(0), int64_t(2000000000)));
    sub->add_option("--scratch", a->scratch, "Folder for --chunk-cells's scratch files (default $TMPDIR or /tmp; "
                                             "8 bytes per stored value)");
    sub->add_option("--stop-after-epochs", a->stop_after_epochs, "Tests: stop as a kill would after N epochs")
        ->group("");
    sub->add_option("data", a->data, "Datasets: 10x folders or .h5, .h5ad, .loom, matrix.mtx[.gz], CSV/TSV[.gz]");
    sub->callback([a, &ctx] { run(*a, ctx); });
}

}  // namespace scpt::cli
