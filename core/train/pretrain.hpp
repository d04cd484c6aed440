// scPretrain pre-training (Zhang et al., Bioinformatics 2022), as the paper's code and the PyTorch
// reference ../shared/peers/pretrain_ref.py do it:
//   - every dataset is a transformed (log1p) cells x vocabulary matrix over one shared vocabulary;
//   - pseudo-labels (pseudo_labels.hpp): per dataset three K-means clusterings with n/100, n/50
//     and n/200 + 1 clusters (each clamped to [2, n - 1]), on the expression in phase 1;
//   - network: a shared encoder Linear(vocabulary -> hidden) + sigmoid, and per dataset three
//     linear heads hidden -> k; the loss of a step sums the three mean cross-entropies of every
//     dataset; Adam (lr 1e-4);
//   - an epoch = `batches_per_epoch` steps; step b takes the b-th slice (n / batches cells) of each
//     dataset's permutation, so every dataset contributes to every step;
//   - early stop after `patience` epochs without a lower epoch loss (sum of the step losses);
//   - phase 2 re-clusters every dataset on the encoder's output and trains again with fresh heads
//     and a fresh optimiser (the encoder continues).
// Deterministic for a seed: the same weights bit for bit for any thread count.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/model/model.hpp"
#include "core/nn/adam.hpp"
#include "core/nn/sparse_batch.hpp"
#include "core/train/collective.hpp"
#include "core/train/pseudo_labels.hpp"  // pseudo_label_counts: the rule, shared with the page
#include "core/util/run_control.hpp"

namespace scpt::train {

// A dataset read a chunk of rows at a time (pretrain_corpus.hpp streams its datasets from a
// CellChunkSource through one): rows [first, first + count) of its transformed cells x vocabulary
// matrix, count <= the chunk sizes of PretrainOptions::chunk_cells.
class PretrainRows {
public:
    virtual ~PretrainRows() = default;
    virtual nn::CsrRef read(int64_t first, int64_t count) = 0;  // valid until the next read
    virtual void release() {}  // drops the last rows read (after a dataset's K-means)
};

struct PretrainDataset {
    std::string name;  // for messages
    nn::CsrRef x;      // cells x vocabulary, transformed values; every dataset has the same width
    PretrainRows* stream = nullptr;  // set: the rows come from here and only x.rows, x.cols are used
};

struct PretrainOptions {
    int max_epochs = 50;         // per phase (scPretrain's pt_epoch default)
    int phases = 2;              // 1: pseudo-labels from expression only; 2: then from the encoder
    int hidden = 200;            // encoder width
    double lr = 1e-4;            // Adam learning rate
    int batches_per_epoch = 30;  // steps per epoch; a step takes n / batches cells of every dataset
    // At most this many of a rank's cells in one step (0: no cap): a shard of more than
    // batches_per_epoch x max_step_cells cells gets more, smaller steps, so a step's batch (its
    // activations and gradients, docs/LIMITS.md) is bounded by this, not by the shard. Every rank
    // takes the step count of the largest shard. 20,000 cells of ~1,000 stored values are ~400 MB.
    int64_t max_step_cells = 20000;
    int patience = 5;            // epochs without a lower loss before a phase stops
    int kmeans_iters = 20;       // Lloyd iterations per clustering (faiss niter in the reference)
    uint64_t seed = 0;
    // How Adam treats encoder rows of genes absent from a step's cells: All steps them with a zero
    // gradient, exactly as PyTorch's dense Adam (their moments keep moving the weights); Touched
    // (lazy Adam) skips them. Measured on the reference corpus (soupx_pbmc4k_10x, kang, CEL-seq2
    // 5cl, garnett; 39k genes, 50 epochs x 2 phases, fine-tuned 5 seeds on 3 labelled sets): All
    // gave higher accuracy in all 6 dataset x mode pairs (Head +1.3..1.9 points, Full +0.1..0.4),
    // and cost the same per epoch (0.68 vs 0.64 s), since most rows are touched in every step there.
    // Touched pays off only when steps see a small part of a large vocabulary.
    nn::RowUpdate encoder_rows = nn::RowUpdate::All;
    // Out of core (pretrain_chunks.hpp): 0 holds every dataset whole. N > 0 holds at most about N
    // cells at once: a dataset of n cells (of a corpus of T) is read in chunks of n N / T cells
    // (rounded up) for the steps, and of N cells for K-means (a Lloyd pass over the chunks per
    // iteration, k-means++ seeds from a sample of N cells: kmeans_stream.hpp). An epoch then
    // shuffles each dataset's chunk order and the cells within each chunk instead of all its
    // cells; with N >= the corpus's cells that is the same shuffle, and the same model.
    int64_t chunk_cells = 0;
};

struct PretrainEpoch {
    int phase = 0;   // 1 or 2
    int epoch = 0;   // from 1 within the phase
    double loss = 0;
    double seconds = 0;  // wall time of the epoch's steps
};

struct PretrainResult {
    EncoderWeights encoder;  // F32, vocabulary x hidden, gene-major
    std::vector<PretrainEpoch> log;
    // Clusters used per phase and dataset: [phase - 1][dataset] = {k1, k2, k3}.
    std::vector<std::vector<std::array<int, 3>>> clusters;
    double kmeans_seconds = 0;  // total time spent making pseudo-labels
};

// Data-parallel pre-training (collective.hpp, docs/PRETRAIN.md): this process holds some datasets
// of a corpus; their pseudo-labels and heads stay here, and every step the encoder's gradient (and
// the bias's) is summed over the ranks before the one Adam step every rank takes alike. The loss of
// a step is a sum over datasets, so this is the single-process algorithm itself, split by dataset:
// the same permutations (every rank draws every dataset's shuffle from the one stream and keeps its
// own), the same head initialisations, the same K-means seeds (by corpus index). Only the order of
// the float sums differs, so -np 2 matches -np 1 to rounding, not bit for bit.
struct PretrainShard {
    Collective* comm = nullptr;         // null or size 1: one process (corpus_* may stay empty)
    std::vector<int64_t> corpus_rows;   // cells of every dataset of the corpus, in corpus order
    std::vector<int64_t> corpus_index;  // the corpus index of each dataset given to pretrain()
};

// Checkpoints: the core does no I/O; the caller stores the bytes (pretrain_state.hpp).
struct PretrainCheckpoint {
    // Called after every epoch with this process's whole training state and the epochs run so far
    // (over both phases). It may throw (Cancelled stops the run there).
    std::function<void(const std::string& state, int epochs_done)> save;
    const std::string* resume = nullptr;  // a state save() gave in an earlier run of the same command
};

// Throws InputError when a dataset is unusable (too few cells, a width that differs from the
// vocabulary); Cancelled when control.cancel is set (checked between steps).
PretrainResult pretrain(const std::vector<PretrainDataset>& datasets, const PretrainOptions& options,
                        const RunControl& control = {});
// The same on a shard of a corpus and/or with checkpoints. Under a Collective of size > 1 every
// rank must call it with the same options and corpus_rows; log losses are then the corpus's (summed
// over ranks) and clusters cover every corpus dataset. Throws InputError when resume is not a state
// of this run (other options, corpus or rank), and Error when the ranks' encoders diverge.
PretrainResult pretrain(const std::vector<PretrainDataset>& datasets, const PretrainOptions& options,
                        const RunControl& control, const PretrainShard& shard, const PretrainCheckpoint& checkpoint);

}  // namespace scpt::train
