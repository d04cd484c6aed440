// The in-memory form of a model file (see models/FORMAT.md): what the encoder was trained on and
// its weights, plus optional reference classifiers. core/model/model_file.* is the one reader and
// writer of the bytes; everything else works with these structs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/model_terms.hpp"  // Transform, ModelGene

namespace scpt {

// How stored weights are encoded. Numeric values are part of the file format: never renumber.
enum class DType : uint32_t {
    F32 = 0,  // IEEE float32
    F16 = 1,  // IEEE half, converted on the fly
    Q8 = 2,   // symmetric int8 with one float scale per gene row
    Q4 = 3,   // 4-bit symmetric blocks of 32 along the hidden axis, one float scale per block
};
const char* dtype_name(DType t);
// Parses "f32", "f16", "q8", "q4"; returns false for anything else.
bool parse_dtype(const std::string& name, DType& out);

// Q4 geometry: blocks of 32 weights along the hidden axis; the last block of a gene row is padded.
constexpr int64_t kQ4Block = 32;
inline int64_t q4_blocks(int64_t hidden) { return (hidden + kQ4Block - 1) / kQ4Block; }
inline int64_t q4_row_bytes(int64_t hidden) { return q4_blocks(hidden) * (kQ4Block / 2); }

// Encoder Linear(genes -> hidden) + sigmoid. Weights are stored gene-major: the `hidden` weights of
// one gene are contiguous, so encoding a sparse cell walks only the rows of its expressed genes.
struct EncoderWeights {
    int64_t genes = 0;
    int64_t hidden = 0;
    DType dtype = DType::F32;
    std::vector<float> f32;        // F32: genes * hidden
    std::vector<uint16_t> f16;     // F16: genes * hidden
    std::vector<int8_t> q8;        // Q8: genes * hidden
    std::vector<float> q8_scale;   // Q8: genes (one per gene row: w = scale[g] * q)
    // Q4: genes * q4_row_bytes(hidden). Per gene row, blocks of 32 weights in 16 bytes: byte t holds
    // weight t of the block in its low nibble and weight t + 16 in its high nibble, stored as q + 8
    // for q in [-8, 7]. Pad weights past `hidden` in the last block are stored as 8 (zero).
    std::vector<uint8_t> q4;
    std::vector<float> q4_scale;   // Q4: genes * q4_blocks(hidden), row-major [gene][block]
    std::vector<float> bias;       // hidden, always float

    // Bytes of weight storage (excluding bias), for reports.
    int64_t weight_bytes() const;
    // Throws InputError prefixed with `what` unless the arrays match dtype, genes and hidden and
    // every float is finite. The reader calls it; kernels may rely on it having passed.
    void validate(const std::string& what) const;
};

// A reference classifier fine-tuned on labelled data over the frozen encoder. Two heads:
//   Mlp:    sigmoid(encoder) -> fc1 (hidden -> h1) -> sigmoid -> fc2 (h1 -> classes);
//   Linear: annotate's Head mode (core/annotate/annotate.hpp): logistic regression on the
//           standardised [encoder output, reference principal components] of the classifier's
//           own genes (a subset of the encoder's rows), with a temperature for the confidence.
struct ReferenceClassifier {
    enum class Head { Mlp, Linear };
    std::string name;                 // e.g. "human_pbmc"
    std::string description;          // tissue, species, sources, held-out accuracy
    std::vector<std::string> classes;
    Head head = Head::Mlp;
    // Mlp head.
    int64_t h1 = 100;
    std::vector<float> fc1_w, fc1_b;  // h1 x hidden (row-major), h1
    std::vector<float> fc2_w, fc2_b;  // classes x h1, classes
    // Parameters of the Unassigned rule calibrated on held-out cells (meaning defined by annotate).
    // Linear head: {temperature, minimum probability}: a cell whose calibrated probability of
    // its best class is below the minimum is Unassigned.
    std::vector<float> calibration;
    // Linear head. S = gene_rows.size() genes, P principal components, F = hidden + P features.
    std::vector<int32_t> gene_rows;      // S: the encoder row of each classifier gene (distinct)
    int64_t pcs = 0;                     // P
    std::vector<float> pca_mean;         // S (transformed values' mean over the reference cells)
    std::vector<float> pca_loadings;     // S x P, row-major (stored as f16)
    std::vector<float> feature_mean;     // F: standardisation z = (f - mean) * scale
    std::vector<float> feature_scale;    // F
    std::vector<float> linear_w;         // classes x F, row-major: logits = W z + b
    std::vector<float> linear_b;         // classes

    // Throws InputError prefixed with `what` unless the layer sizes agree with `hidden`.
    void validate(const std::string& what, int64_t hidden) const;
};

struct ModelInfo {
    uint32_t format_version = 1;           // set by the reader; the writer always writes the current one
    Transform transform = Transform::Log1p;
    std::vector<ModelGene> genes;          // vocabulary, in encoder row order
    std::vector<std::string> datasets;     // names of the pre-training datasets
    uint64_t seed = 0;
    std::string created;                   // ISO 8601 date of training
    std::string tool_version;              // scpt version that wrote it
    std::string notes;                     // free text (training command, corpus summary)
};

struct Model {
    ModelInfo info;
    EncoderWeights encoder;
    std::vector<ReferenceClassifier> classifiers;

    // Checks everything the file format requires: encoder (above), one vocabulary entry per encoder
    // row, classifiers valid with distinct names of [A-Za-z0-9_-]{1,64}. Throws InputError.
    void validate(const std::string& what) const;
    const ReferenceClassifier* find_classifier(const std::string& name) const;
};

}  // namespace scpt
