// scPretrain's evaluation split, on exactly the cells the peers use (../shared/peers/common.py):
//   order = numpy.random.RandomState(seed).permutation(n)
//   train = min(int(n * 0.6), 1000) cells, validation = min(int(n * 0.1), 1000) cells,
//   reference = train + validation (the first cells of `order`), test = the rest.
// numpy's legacy generator (MT19937 seeded by init_genrand, bounded draws by masked rejection,
// Fisher-Yates from the end) is reproduced here, so `scpt eval` scores the same test cells as
// peers.py for a seed. It is for evaluation only: training draws from scpt::Rng.
#pragma once
#include <cstdint>
#include <vector>

namespace scpt {

// numpy.random.RandomState(seed).permutation(n) for seed < 2^32.
std::vector<int64_t> numpy_permutation(int64_t n, uint32_t seed);

struct PaperSplitOptions {
    double train_fraction = 0.6;
    double val_fraction = 0.1;
    int64_t cap = 1000;  // cells at most in each of train and validation
};

struct PaperSplit {
    std::vector<int64_t> reference;  // train + validation cells, in permutation order
    std::vector<int64_t> test;       // every other cell, in permutation order
    int64_t train = 0, val = 0;      // sizes of the two parts of `reference`
};

// Splits cells 0..n-1 as common.py's split(n, seed).
PaperSplit paper_split(int64_t n, uint32_t seed, const PaperSplitOptions& o = {});

}  // namespace scpt
