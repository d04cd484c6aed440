// What users come for: fine-tune on the labelled cells of a reference and label other cells, with
// a confidence, and "Unassigned" for cells unlike every type of the reference. This is the one
// entry point of the native CLI (`scpt annotate`, `scpt eval`) and of the WebAssembly module: it
// takes matrices in memory, never opens a file or prints, reports progress through RunControl
// (stages "encode", "finetune" with the validation accuracy of each epoch, "predict") and stops
// with Cancelled when asked.
//
// The flow:
//   1. labels -> reference types (reference_labels.hpp): errors for no labelled cell or one type;
//   2. genes: the reference's genes shared with the query, tied to the model's encoder rows
//      (gene_space.hpp); values transformed as the model expects (detect_value_kind, plan_transform);
//   3. fine-tuning (core/train/finetune.hpp): Head (frozen pre-trained encoder, the default:
//      see docs/ANNOTATE.md for the measurements behind it), Full (encoder trained too, the paper's),
//      or Scratch (no pre-training, the paper's baseline);
//   4. calibration on the held-out validation cells: a temperature for the confidence
//      (confidence.hpp) and the typicality of each type's cells (typicality.hpp);
//   5. prediction, a chunk of cells at a time: type = the most probable one; Unassigned by the
//      unknown-type rule (UnknownRule).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/annotate/gene_space.hpp"
#include "core/annotate/majority_vote.hpp"
#include "core/annotate/reference_labels.hpp"
#include "core/annotate/typicality.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/data/orthologs.hpp"
#include "core/data/transform.hpp"
#include "core/model/model.hpp"
#include "core/train/finetune.hpp"
#include "core/util/run_control.hpp"

namespace scpt::annotate {

// When a cell is called Unassigned rather than given its most probable type.
enum class UnknownRule {
    None,         // never: every cell gets a reference type
    Probability,  // the calibrated probability of the best type is below min_probability (CellTypist: 0.5)
    Typicality,   // the cell is atypical of its best type: conformal p-value below alpha
    Either,       // Probability or Typicality
    // The default: typicality calibrated on the query too (query_typicality.hpp): scores divided
    // by the whole query's shift from the reference, ranked against the best type's own
    // calibration cells; p-value below alpha.
    QueryTypicality,
};
// "none", "probability", "typicality", "either", "query-typicality"
const char* unknown_rule_name(UnknownRule r);
bool parse_unknown_rule(const std::string& s, UnknownRule& out);

// Which representation typicality is measured in.
enum class DetectorSpace {
    Encoder,      // the encoder's output (200-d): the pre-trained space in Head mode
    Penultimate,  // the classifier's hidden layer (100-d), shaped by the reference's types
};

struct UnknownTypeOptions {
    UnknownRule rule = UnknownRule::QueryTypicality;
    // Typicality: known-type cells called Unassigned ~ alpha (same batch); QueryTypicality: the
    // same, once the query's shift is taken out.
    double alpha = 0.01;
    double min_probability = 0.5;  // Probability
    DetectorSpace space = DetectorSpace::Encoder;
    TypicalityOptions typicality;
};

struct AnnotateOptions {
    train::FinetuneMode mode = train::FinetuneMode::Head;  // with a model; without one: Scratch
    uint64_t seed = 0;
    train::FinetuneOptions finetune;      // epochs, patience, lr...; its mode and seed come from above
    // Head mode's recipe: the frozen encoder's outputs standardised (mean and standard deviation
    // of the labelled cells), Adam lr 1e-2, early stop on the validation loss. The paper's
    // settings (lr 2e-3, stop on validation accuracy, raw outputs) stall the head on a plateau:
    // measured on 7 labelled sets with 5 splits, macro-F1 0.62 -> 0.90 (soupx pbmc4k), 0.54 ->
    // 0.88 (pbmc3k), 0.10 -> 0.70 (clustifyr lung), and the fit takes ~200 epochs instead of 500+
    // to converge. false: `finetune` as it is, for Head mode too.
    bool tuned_head = true;
    // What Head mode trains on the frozen encoder (see docs/ANNOTATE.md for the measurements):
    //   Linear  L2 multinomial logistic regression (C = linear_c) on the standardised encoder
    //           outputs and the reference's own principal components: the default, above the
    //           MLP on every measured set, fitted on every labelled cell (the validation share
    //           only calibrates, then the fit is redone on all);
    //   Mlp     the paper's head, Linear(200, 100) -> sigmoid -> Linear(100, types).
    enum class HeadClassifier { Linear, Mlp };
    HeadClassifier head_classifier = HeadClassifier::Linear;
    // Principal components of the reference's labelled cells (transformed values, the classifier's
    // genes) appended to the encoder outputs in Head mode; 0: none. They carry what a small
    // pre-training corpus did not learn about this tissue.
    int reference_pcs = 50;
    // Marker genes (marker_genes.hpp: the reference's most type-specific genes by F statistic,
    // counts per 10k + log1p, standardised and clipped at 10 as CellTypist does) appended too in
    // Head mode's linear head; 0: none. They give the head what 200 encoder outputs lose of a
    // type told apart by a few genes, and carry across batches and technologies (EVALUATION.md:
    // shift pairs macro-F1 0.830 -> 0.897 with 500). Not used when the reference's values cannot
    // be put on that scale (log values of an unknown base).
    int reference_genes = 500;
    double linear_c = 1.0;
    UnknownTypeOptions unknown;
    bool calibrate_confidence = true;     // temperature scaling on the validation cells
    Transform transform_without_model = Transform::CountsPer10kLog1p;  // values for Scratch training (as pretrain's)
    bool shared_genes_only = true;        // train on reference genes the query has (gene_space.hpp)
    bool keep_embedding = false;          // return the encoder output of every predicted cell
    bool allow_scaled = false;            // accept z-scored values (with a warning) instead of refusing
    // When too few reference genes match the model (no gene names, another species without an
    // ortholog table): train without pre-training and say so, rather than refuse.
    bool fall_back_without_model = true;
    const OrthologTable* orthologs = nullptr;  // human <-> mouse; may be null
    LabelRules labels;
    std::string reference_name = "the reference";  // for messages
    std::string query_name = "the query";
    std::string labels_name = "the labels";
    std::string model_name = "the model";
    int64_t chunk_cells = 2048;           // cells encoded and predicted per step
    // Majority voting over over-clusters of the query (majority_vote.hpp), off by default; the
    // one-shot flow (annotate()) only: a streamed query is never held whole. Its seed is `seed`.
    MajorityVoteOptions majority_vote;
};

// Per predicted cell (rows of the matrix that was labelled).
struct Predictions {
    std::vector<int64_t> cells;      // row in the matrix
    std::vector<std::string> barcodes;
    std::vector<int32_t> label;      // reference type, or -1 = Unassigned
    std::vector<int32_t> best;       // most probable reference type (also for Unassigned cells)
    std::vector<float> confidence;   // calibrated probability of `best` (0..1)
    std::vector<float> typicality;   // conformal p-value of the cell for `best` (1 when not measured)
    std::vector<float> typicality_score;  // its nonconformity score (typicality.hpp; 0 when not measured)
    nn::Matrix probabilities;        // cells x types, calibrated, rows sum to 1
    nn::Matrix embedding;            // cells x hidden, when AnnotateOptions::keep_embedding
    // With majority voting: `label` is the cluster's vote, `cell_label` the cell's own label and
    // `over_cluster` its over-cluster; both empty otherwise.
    std::vector<int32_t> cell_label;
    std::vector<int32_t> over_cluster;
    SpaceColumns genes;              // how the matrix's genes matched the classifier's
    std::string transform;           // how its values were transformed
    std::vector<std::string> warnings;

    // Sizes every per-cell field for `cells` (set first, rows of m): barcodes from m, typicality 1
    // (not measured), typicality_score 0, probabilities cells x classes, the embedding cells x embedding_dims (0: none).
    void allocate(const CellMatrix& m, int64_t classes, int64_t embedding_dims);
};

// Re-decides `label` from best/confidence/typicality under another rule (evaluation).
void apply_unknown_rule(Predictions& p, const UnknownTypeOptions& o);

// What fine-tuning did.
struct FitSummary {
    std::vector<std::string> classes;   // the reference types, sorted
    std::vector<int64_t> class_counts;  // labelled cells per type
    train::FinetuneMode mode = train::FinetuneMode::Head;
    Transform transform = Transform::Log1p;
    std::string reference_transform;    // how the reference's values were transformed
    int64_t genes_used = 0;             // genes of the classifier
    int64_t genes_with_model = 0;       // of those, genes the pre-trained encoder knows
    bool has_model = false;
    GeneMatch reference_to_model;       // when has_model
    std::vector<train::FinetuneEpoch> log;
    int best_epoch = 0;
    double best_val_accuracy = 0;
    int64_t train_cells = 0, val_cells = 0;
    double temperature = 1;
    int64_t calibration_cells = 0;
    // What was fitted, for the summaries of the CLI and the page. Head mode's logistic regression
    // (linear_head) has no epochs (log is empty): its solver ran solver_iterations.
    bool linear_head = false;
    int solver_iterations = 0;
    int64_t encoder_outputs = 0;        // features from the frozen encoder (0: none, Full or Scratch)
    int64_t reference_pcs = 0;          // the reference's principal components added to them
    int64_t reference_genes = 0;        // and its marker genes
    uint64_t seed = 0;                  // of the split, the initialisation and the PCA
    UnknownRule unknown_rule = UnknownRule::QueryTypicality;
    double alpha = 0, min_probability = 0;
    bool shared_genes_only = true;
    int64_t over_clusters = 0;          // majority voting's clusters (0: no voting)
    std::vector<std::string> warnings;  // labels, values, genes
};

struct AnnotatorState;

// A fine-tuned classifier with its genes, transform and calibration: fit once, predict many.
class Annotator {
public:
    // Fine-tunes on the labelled cells of `reference` (labels: one per cell, "" = unlabelled).
    // `query`, when given, only chooses the genes (shared_genes_only). model == nullptr or mode
    // Scratch: no pre-training. Throws InputError for unusable input, Cancelled when asked.
    static Annotator fit(const CellMatrix& reference, const std::vector<std::string>& labels, const CellMatrix* query,
                         const Model* model, const AnnotateOptions& options, const RunControl& control = {});

    // Labels the given rows of m (every row when rows == nullptr). m may be the reference itself
    // or any matrix whose genes match it. `name` names m in messages.
    Predictions predict(const CellMatrix& m, const std::vector<int64_t>* rows, const std::string& name,
                        const RunControl& control = {}) const;

    // A query labelled a chunk at a time (streamed from a file too large to hold): its genes are
    // matched and its values' transform decided once, by plan_query on a first chunk (`sample`,
    // which must carry the query's genes), then predict(chunk, rows, plan) on every chunk gives
    // per cell what predict on the whole matrix gives, as long as the sample's values tell the
    // same kind (raw counts, log-normalised...) as the whole query's.
    struct QueryPlan {
        SpaceColumns genes;
        CellTransform transform;
        // The head's marker genes: column g of the matrix -> its place among them (-1: not one),
        // values transformed by marker_transform (counts per 10k + log1p).
        std::vector<int32_t> marker_column;
        CellTransform marker_transform;
        std::string name;
        std::vector<std::string> warnings;  // genes' and values' notes, said once
    };
    QueryPlan plan_query(const CellMatrix& sample, const std::string& name) const;
    // Predictions of the chunk (barcodes, probabilities...); its `warnings` are empty (the plan's).
    Predictions predict(const CellMatrix& m, const std::vector<int64_t>* rows, const QueryPlan& plan,
                        const RunControl& control = {}) const;

    // The rule QueryTypicality decides over the whole query: predict() calibrates on the cells it
    // was given; a query predicted in parts (chunks of a stream) is decided again over all its
    // parts together with this, before any is written. Returns the query's shift (1 for the other
    // rules, which it leaves as they are).
    double calibrate_on_query(const std::vector<Predictions*>& parts) const;

    const FitSummary& summary() const { return summary_; }
    const std::vector<int32_t>& reference_codes() const { return codes_; }  // per reference cell, -1 unlabelled
    const AnnotateOptions& options() const { return options_; }
    void set_unknown_rule(const UnknownTypeOptions& u) { options_.unknown = u; }

    // The fitted classifier as a model-file reference classifier (Head::Linear), to ship it in a
    // model (core/annotate/stored_classifier.hpp predicts with it). Needs Head mode with the
    // Linear head on `model` (the model given to fit), and every classifier gene known to the
    // encoder (fit with a query holding only genes of the model). The Unassigned rule stored is
    // the probability rule with `min_probability` (typicality needs the reference's cells).
    // Throws InputError otherwise.
    ReferenceClassifier export_classifier(const std::string& name, const Model& model, double min_probability) const;

    Annotator(Annotator&&) noexcept;
    Annotator& operator=(Annotator&&) noexcept;
    ~Annotator();

private:
    Annotator();
    std::unique_ptr<AnnotatorState> s_;  // annotator_state.hpp
    AnnotateOptions options_;
    FitSummary summary_;
    std::vector<int32_t> codes_;
};

struct AnnotateInput {
    const CellMatrix* reference = nullptr;
    std::vector<std::string> labels;    // one per reference cell, "" = unlabelled
    const CellMatrix* query = nullptr;  // null: label the reference's own unlabelled cells
    const Model* model = nullptr;       // null: train from scratch
};

struct AnnotateResult {
    FitSummary fit;
    Predictions predictions;            // of the query, or of the reference's unlabelled cells
    std::vector<std::string> warnings;  // everything the user should hear, fit's and prediction's
};

// fit + predict. Throws InputError when the reference has no unlabelled cell and no query is given.
AnnotateResult annotate(const AnnotateInput& input, const AnnotateOptions& options, const RunControl& control = {});

}  // namespace scpt::annotate
