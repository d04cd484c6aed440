// How pre-training walks a dataset in chunks (PretrainOptions::chunk_cells): the chunk sizes, the
// order of an epoch (chunk order shuffled, then the cells within each chunk), and a dataset as
// K-means points read a chunk at a time (its expression, or the encoder's output of each chunk).
// With one chunk per dataset everything here is what the in-memory algorithm does.
#pragma once
#include <cstdint>
#include <vector>

#include "core/cluster/kmeans_stream.hpp"
#include "core/nn/sparse_linear.hpp"
#include "core/train/pretrain.hpp"
#include "core/util/rng.hpp"

namespace scpt::train {

// Cells per chunk of a dataset of n cells in a corpus of corpus_cells: for the steps (shares of
// chunk_cells in proportion to the dataset's size) and for K-means. chunk_cells 0: n.
int64_t step_chunk_rows(int64_t n, int64_t corpus_cells, int64_t chunk_cells);
int64_t kmeans_chunk_rows(int64_t n, int64_t chunk_cells);

// An epoch's order of a dataset's n cells in chunks of `chunk`: the chunk order shuffled, then
// each chunk's cells, every draw from rng. perm null: only the draws (another rank's dataset).
// One chunk: exactly Rng::shuffle of 0..n-1.
void epoch_order(Rng& rng, int64_t n, int64_t chunk, std::vector<int64_t>* perm);

// Rows [first, first + count) of a dataset, from its stream or as a view of x.
nn::CsrRef dataset_rows(const PretrainDataset& d, int64_t first, int64_t count);

// A dataset as K-means points: its rows, or (encoder set) sigmoid(encoder(rows)), chunk by chunk.
class DatasetPoints : public cluster::PointChunks {
public:
    DatasetPoints(const PretrainDataset& d, int64_t chunk, const nn::SparseLinear* encoder, int threads)
        : d_(d), chunk_(chunk), enc_(encoder), threads_(threads) {}
    int64_t rows() const override { return d_.x.rows; }
    int64_t dims() const override { return enc_ ? enc_->out : d_.x.cols; }
    int64_t chunk_rows() const override { return chunk_; }
    Chunk read(int64_t first, int64_t count) override;

private:
    const PretrainDataset& d_;
    int64_t chunk_;
    const nn::SparseLinear* enc_;
    int threads_;
    nn::Matrix z_;
};

}  // namespace scpt::train
