// K-means over points read a chunk at a time (pre-training a corpus larger than memory): the same
// Lloyd iterations as kmeans.hpp, one pass over the chunks per iteration, holding one chunk, the
// centres and per point a label and a distance (12 bytes), never all the points.
//
// Exactness: assignment is per point and the centre sums are accumulated per dimension in point
// order, chunk after chunk, which is the order kmeans() sums in; so from the same seeds the result
// is the one of kmeans() on all the points, bit for bit, for any chunk size and thread count. The
// seeds are where they may differ: k-means++ needs a pass over all points per centre, so it runs on
// a sample of `seed_sample` points drawn with scpt::Rng (all points when seed_sample >= rows; then
// the result is kmeans()'s). A source whose points fit in one chunk is clustered by kmeans() itself.
#pragma once
#include <cstdint>

#include "core/cluster/kmeans.hpp"
#include "core/nn/sparse_batch.hpp"
#include "core/nn/tensor.hpp"
#include "core/util/run_control.hpp"

namespace scpt::cluster {

// Rows [first, first + count) of a points matrix; count never exceeds chunk_rows().
class PointChunks {
public:
    struct Chunk {
        nn::CsrRef sparse;                 // sparse points (when dense is null)
        const nn::Matrix* dense = nullptr;  // or dense ones, count x dims, row-major
    };
    virtual ~PointChunks() = default;
    virtual int64_t rows() const = 0;
    virtual int64_t dims() const = 0;
    virtual int64_t chunk_rows() const = 0;
    // Valid until the next read.
    virtual Chunk read(int64_t first, int64_t count) = 0;
};

struct StreamKmeansOptions {
    KmeansOptions kmeans;
    // Points the k-means++ seeding sees (drawn without replacement, kept in point order); 0: the
    // chunk size (the memory bound), at least k.
    int64_t seed_sample = 0;
};

KmeansResult kmeans_streamed(PointChunks& points, const StreamKmeansOptions& options, const RunControl& control = {});

}  // namespace scpt::cluster
