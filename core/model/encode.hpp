// The encoder kernel used by every flow: H = sigmoid(X W + b) for sparse cells X (values already
// transformed, e.g. log1p) and encoder weights W of any dtype, used as stored (f16, q8, q4 are
// decoded on the fly, never expanded to a float copy of the matrix).
//
// Output: a cells x hidden row-major float matrix (RowMatrix), so that one cell's embedding is
// contiguous and chunks of cells are contiguous blocks (what streaming and the wasm heap want).
//
// Cost: one axpy of `hidden` floats per stored value of a mapped gene (2 * nnz * hidden flops).
// Determinism: each cell is computed on its own, by the same code, so the result does not depend
// on the thread count or on how cells are chunked (bit-identical across 1, 2, 3 ... threads).
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"
#include "core/util/run_control.hpp"

namespace scpt {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

enum class Activation {
    Sigmoid,  // the encoder's output h = sigmoid(x W + b)
    None,     // the pre-activation x W + b (for training and diagnostics)
};

struct EncodeOptions {
    Activation activation = Activation::Sigmoid;
    int64_t chunk_cells = 128;  // cells per step between cancellation checks and progress reports
};

// Checks that gene_to_row has one entry per column of a matrix with n_genes columns, each -1 or a
// row of w, and that w's arrays have the sizes its dtype needs. Throws InputError.
void check_encoder_inputs(int64_t n_genes, const std::vector<int32_t>& gene_to_row, const EncoderWeights& w);

// Encodes one cell at a time with reusable scratch space; the building block of every entry point.
// Not thread-safe: use one per thread. gene_to_row and w must outlive it and have passed
// check_encoder_inputs (it does not check again: it is called per cell).
class CellEncoder {
public:
    CellEncoder(const EncoderWeights& w, const std::vector<int32_t>& gene_to_row);

    // One cell given by its stored entries: dataset column `cols[k]` has value `vals[k]`.
    // Writes w.hidden floats to out.
    void encode(const int32_t* cols, const float* vals, int64_t nnz, float* out,
                Activation activation = Activation::Sigmoid);

private:
    struct Entry {
        int32_t row;
        float x;
    };
    const EncoderWeights& w_;
    const std::vector<int32_t>& gene_to_row_;
    std::vector<Entry> entries_;
    std::vector<float> acc_;  // hidden rounded up to a q4 block
};

// Cells [begin, end) of x into out, (end - begin) * w.hidden floats, row-major. Single-threaded,
// for callers that stream cells (encode a chunk as soon as it is read). Checks the inputs.
void encode_rows(const CellMatrix& x, int64_t begin, int64_t end, const std::vector<int32_t>& gene_to_row,
                 const EncoderWeights& w, float* out, Activation activation = Activation::Sigmoid);

// All cells of x: x.n_cells x w.hidden, using control.threads threads over contiguous cell ranges.
// Reports progress (stage "encode", from the first worker only) and stops with Cancelled between chunks.
RowMatrix encode(const CellMatrix& x, const std::vector<int32_t>& gene_to_row, const EncoderWeights& w,
                 const EncodeOptions& options = {}, const RunControl& control = {});

}  // namespace scpt
