#include "core/train/pretrain_chunks.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

#include "core/nn/activation.hpp"

namespace scpt::train {

int64_t step_chunk_rows(int64_t n, int64_t corpus_cells, int64_t chunk_cells) {
    if (chunk_cells <= 0 || corpus_cells <= 0) return n;
    // ceil(chunk_cells * n / corpus_cells) without overflow for any realistic sizes (long double).
    const long double share = (long double)chunk_cells * (long double)n / (long double)corpus_cells;
    int64_t c = int64_t(share);
    if ((long double)c < share) ++c;
    return std::max<int64_t>(1, std::min(n, c));
}

int64_t kmeans_chunk_rows(int64_t n, int64_t chunk_cells) {
    return chunk_cells <= 0 ? n : std::max<int64_t>(1, std::min(n, chunk_cells));
}

namespace {
// Rng::shuffle's draws on a range.
void shuffle_range(Rng& rng, int64_t* v, int64_t n) {
    for (uint64_t i = uint64_t(n); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}
}  // namespace

void epoch_order(Rng& rng, int64_t n, int64_t chunk, std::vector<int64_t>* perm) {
    const int64_t chunks = (n + chunk - 1) / chunk;
    std::vector<int64_t> order(static_cast<size_t>(chunks));
    std::iota(order.begin(), order.end(), int64_t(0));
    shuffle_range(rng, order.data(), chunks);
    if (perm) perm->resize(size_t(n));
    int64_t at = 0;
    for (int64_t c : order) {
        const int64_t first = c * chunk, count = std::min(chunk, n - first);
        if (perm) {
            int64_t* p = perm->data() + at;
            std::iota(p, p + count, first);
            shuffle_range(rng, p, count);
        } else {
            for (uint64_t i = uint64_t(count); i > 1; --i) rng.below(i);
        }
        at += count;
    }
}

nn::CsrRef dataset_rows(const PretrainDataset& d, int64_t first, int64_t count) {
    if (d.stream) return d.stream->read(first, count);
    return {count, d.x.cols, d.x.indptr + first, d.x.indices, d.x.values};
}

cluster::PointChunks::Chunk DatasetPoints::read(int64_t first, int64_t count) {
    Chunk c;
    const nn::CsrRef x = dataset_rows(d_, first, count);
    if (!enc_) {
        c.sparse = x;
        return c;
    }
    enc_->forward_all(x, z_, threads_);
    nn::sigmoid_inplace(z_);
    c.dense = &z_;
    return c;
}

}  // namespace scpt::train
