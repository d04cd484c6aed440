// scPretrain fine-tuning, as the paper and ../shared/peers/peers.py (run_torch) do it:
// classifier sigmoid(encoder) -> Linear(hidden, 100) -> sigmoid -> Linear(100, classes); Adam
// (lr 2e-3); one full-batch step per epoch on the training cells; after each step the accuracy on
// held-out validation cells; early stop after `patience` epochs without a higher validation
// accuracy; the best state is restored. Validation split as peers.py: a random 1/7 of the labelled
// cells, and with 2 x max_train labelled cells or more, training takes max_train cells.
//
// Modes:
//   Full     encoder + head trained; the encoder starts from the pre-trained rows of the dataset's
//            genes (genes the model never saw start with PyTorch's init, fan-in = dataset genes).
//   Head     encoder frozen (the pre-trained rows; unseen genes contribute nothing): the hidden
//            representation is computed once and only the small MLP is trained (fast).
//   Scratch  the same network with a freshly initialised encoder (peers.py's scpt0).
// One departure from the paper, measured below: the loss is class-weighted by default when the
// encoder is trained (ClassWeights::Auto).
// Deterministic for a seed, for any thread count.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "core/model/model.hpp"
#include "core/nn/sparse_batch.hpp"
#include "core/train/classifier.hpp"
#include "core/util/run_control.hpp"

namespace scpt::train {

enum class FinetuneMode { Full, Head, Scratch };

// Weighting of the training loss by class. The paper (and peers.py) use none. Measured with 5
// seeds on the paper's split (labelled = min(60%,1000) + min(10%,1000) cells, scored on the rest):
//   mode     dataset (classes)             none: acc / macro-F1    balanced: acc / macro-F1
//   Scratch  clustifyr mouse lung (11)     0.819 / 0.100           0.943 / 0.901
//   Scratch  pollen 4 classes              0.882 / 0.710           0.985 / 0.985
//   Scratch  soupx pbmc4k (6)              0.887 / 0.754           0.894 / 0.905
//   Full     soupx pbmc4k (6)              0.895 / 0.822           0.905 / 0.911
//   Full     garnett sorted pbmc (3)       0.918 / 0.854           0.925 / 0.873
//   Full     cellbench celseq2 5cl         0.997 / 0.995           0.991 / 0.991
//   Head     soupx pbmc4k (6)              0.822 / 0.711           0.770 / 0.677
//   Head     cellbench celseq2 5cl         0.930 / 0.921           0.912 / 0.894
//   Scratch  segerstolpe tiny (13, 200 cells) 0.660 / 0.253        0.517 / 0.285
// Without weights, a trainable encoder often stops on the majority-class plateau (validation
// accuracy is flat there for the 30 epochs of patience); with a frozen encoder the weights
// trade majority-class accuracy for little. Hence Auto.
enum class ClassWeights {
    Auto,      // Balanced for Full and Scratch, None for Head
    None,      // the paper's plain mean cross-entropy
    Balanced,  // each class weighted by n / (classes * count), as scikit-learn's "balanced"
};

// What early stopping watches on the validation cells. The paper: accuracy (stop after `patience`
// epochs without a higher one). On a frozen encoder with standardised inputs the head keeps
// improving its validation loss long after the accuracy stalls on a plateau; stopping on the
// loss lifts macro-F1 (measured in core/annotate/annotate.hpp, which uses it for Head mode).
enum class EarlyStop {
    Accuracy,        // the paper's; ties are not an improvement
    ValidationLoss,  // mean cross-entropy on the validation cells (unweighted)
};

struct FinetuneEpoch;

struct FinetuneOptions {
    FinetuneMode mode = FinetuneMode::Full;
    EarlyStop stop_on = EarlyStop::Accuracy;
    int max_epochs = 500;
    int patience = 30;           // epochs without a better validation accuracy before stopping
    double lr = 2e-3;
    int hidden1 = 100;           // width of the head's hidden layer
    int hidden = 200;            // encoder width in Scratch mode (else the pre-trained encoder's)
    uint64_t seed = 0;
    double val_fraction = 1.0 / 7.0;  // share of labelled cells held out (the paper's 60:10)
    int64_t max_train = 1000;    // with >= 2 * max_train labelled cells, train on max_train of them
    int64_t max_val = 1000;      // validation cells at most (peers.py has no cap; it only matters above 2000 cells)
    ClassWeights class_weights = ClassWeights::Auto;
    // Called after every epoch with its log entry (the page's live training curve); may be empty.
    // It may throw (Cancelled stops the training there).
    std::function<void(const FinetuneEpoch&)> on_epoch;
};

// The pre-trained encoder and, for each gene of the dataset, its row in it (-1: unknown gene):
// GeneMatch::column_to_vocab of the dataset against the model's genes. A quantised model's
// encoder goes through dequantize() (core/model/quantize.hpp) first.
struct EncoderInit {
    const EncoderWeights* weights = nullptr;  // F32; may be null only in Scratch mode
    std::vector<int32_t> gene_to_row;         // size = dataset genes
};

struct FinetuneEpoch {
    int epoch = 0;            // from 1
    double loss = 0;          // training loss of the step
    double train_accuracy = 0;  // on the training cells, from the step's forward pass (before its update)
    double val_accuracy = 0;  // after the step
    double val_loss = 0;      // after the step (computed with EarlyStop::ValidationLoss only)
};

struct FinetuneResult {
    Classifier classifier;          // in the best validation state
    std::vector<FinetuneEpoch> log;
    int best_epoch = 0;
    double best_val_accuracy = 0;
    std::vector<int64_t> train_cells, val_cells;  // rows of x used for each
};

// The split finetune() uses: validation and training cells (indices into labels) of the cells
// with a label >= 0, as peers.py splits them, with every type keeping a training cell.
struct LabelledSplit {
    std::vector<int64_t> train, val;
};
LabelledSplit split_labelled(const std::vector<int32_t>& labels, const FinetuneOptions& options);

// x: the labelled dataset, transformed, in its own gene space (cells x genes).
// labels: per cell, class in [0, n_classes) or -1 for a cell without label (not used).
// Throws InputError for unusable input (fewer than 2 labelled cells or 2 classes, sizes that
// disagree); Cancelled when control.cancel is set (checked every epoch).
FinetuneResult finetune(const nn::CsrRef& x, const std::vector<int32_t>& labels, int n_classes,
                        const EncoderInit& init, const FinetuneOptions& options, const RunControl& control = {});

// Head mode on representations computed elsewhere (e.g. by the inference kernel of a quantised
// model): h = sigmoid(encoder) of every cell (cells x hidden). The result's classifier has no
// encoder (genes() == 0): predict with classifier.head_logits(h_query). Same split, initial
// head and steps as finetune() in Head mode, so both give the same head for the same h.
FinetuneResult finetune_head(const nn::Matrix& h, const std::vector<int32_t>& labels, int n_classes,
                             const FinetuneOptions& options, const RunControl& control = {});

}  // namespace scpt::train
