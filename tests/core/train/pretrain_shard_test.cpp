// Data-parallel pre-training (pretrain.hpp, PretrainShard) against the single-process run, on
// ranks that are threads of this process (thread_collective.hpp), so no mpirun is needed.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <mutex>

#include "core/train/collective.hpp"
#include "core/train/pretrain.hpp"
#include "tests/core/nn/random_csr.hpp"
#include "tests/core/train/thread_collective.hpp"

namespace scpt::train {
namespace {

// Three datasets of different sizes over one 300-gene vocabulary, with planted cell types.
struct Corpus {
    std::vector<test::RandomCsr> m;
    std::vector<PretrainDataset> sets() const {
        std::vector<PretrainDataset> s;
        for (size_t i = 0; i < m.size(); ++i) s.push_back({"d" + std::to_string(i), m[i].csr()});
        return s;
    }
    std::vector<int64_t> rows() const {
        std::vector<int64_t> r;
        for (const auto& x : m) r.push_back(x.rows);
        return r;
    }
};

Corpus corpus() {
    std::vector<int32_t> t;
    return {{test::planted_sparse(4, 80, 300, 1, t), test::planted_sparse(3, 40, 300, 2, t),
             test::planted_sparse(2, 50, 300, 3, t)}};
}

PretrainOptions small() {
    PretrainOptions o;
    o.max_epochs = 4;
    o.hidden = 16;
    o.lr = 1e-3;
    o.seed = 11;
    o.batches_per_epoch = 10;
    return o;
}

// Runs the corpus over `ranks` thread-ranks with datasets assigned by balance_datasets; returns
// rank 0's result and checks every rank ended with the same encoder.
PretrainResult sharded(const Corpus& c, const PretrainOptions& o, int ranks) {
    const auto all = c.sets();
    const auto owner = balance_datasets(c.rows(), ranks);
    std::vector<PretrainResult> out(static_cast<size_t>(ranks));
    test::run_ranks(ranks, [&](Collective& comm) {
        PretrainShard shard;
        shard.comm = &comm;
        shard.corpus_rows = c.rows();
        std::vector<PretrainDataset> mine;
        for (size_t i = 0; i < all.size(); ++i)
            if (owner[i] == comm.rank()) {
                mine.push_back(all[i]);
                shard.corpus_index.push_back(int64_t(i));
            }
        out[size_t(comm.rank())] = pretrain(mine, o, RunControl{}, shard, PretrainCheckpoint{});
    });
    for (int r = 1; r < ranks; ++r) EXPECT_EQ(out[size_t(r)].encoder.f32, out[0].encoder.f32) << "rank " << r;
    return std::move(out[0]);
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
    EXPECT_EQ(a.size(), b.size());
    double d = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) d = std::max(d, double(std::fabs(a[i] - b[i])));
    return d;
}

TEST(Collective, BalanceGivesTheLargestFirstToTheLeastLoaded) {
    // 100 -> rank 0; 60 -> 1; 50 -> 1 (60 < 100); 40 -> 0 (100 < 110); 10 -> 1 (110 < 140).
    EXPECT_EQ(balance_datasets({40, 100, 50, 60, 10}, 2), (std::vector<int>{0, 0, 1, 1, 1}));
    EXPECT_EQ(balance_datasets({5, 5, 5}, 1), (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(balance_datasets({7, 7, 7, 7}, 4), (std::vector<int>{0, 1, 2, 3}));
    EXPECT_THROW(balance_datasets({1}, 0), InputError);
    EXPECT_THROW(balance_datasets({-1}, 2), InputError);
}

TEST(Collective, DatasetsOfEqualCellsButUnequalDepthAreSpreadByTheirStoredValues) {
    // The 1M-cell benchmark corpus: 10,000-cell folders alternating ~10.7M and ~4.6M stored
    // values. By cells every even (deep) folder went to rank 0; by stored values each rank gets
    // half of each kind.
    const std::vector<int64_t> stored = {10700, 4600, 10750, 4580, 10690, 4570, 10720, 4590};
    const auto owner = balance_datasets(stored, 2);
    int64_t load[2] = {0, 0};
    int deep[2] = {0, 0};
    for (size_t i = 0; i < stored.size(); ++i) {
        load[owner[i]] += stored[i];
        deep[owner[i]] += stored[i] > 10000;
    }
    EXPECT_EQ(deep[0], 2);
    EXPECT_EQ(deep[1], 2);
    EXPECT_LT(std::abs(load[0] - load[1]), 100);
}

TEST(Collective, PackedStringsRoundTripAndMalformedOnesAreRefused) {
    const std::vector<std::string> f = {"", "a:b", std::string("x\0y", 3), "12:3"};
    EXPECT_EQ(unpack_strings(pack_strings(f)), f);
    EXPECT_TRUE(unpack_strings("").empty());
    EXPECT_THROW(unpack_strings("5:abc"), InputError);
    EXPECT_THROW(unpack_strings("abc"), InputError);
}

TEST(PretrainShard, OneRankIsTheSingleProcessRunBitForBit) {
    const Corpus c = corpus();
    const auto o = small();
    const auto single = pretrain(c.sets(), o);
    const auto one = sharded(c, o, 1);
    EXPECT_EQ(one.encoder.f32, single.encoder.f32);
    EXPECT_EQ(one.encoder.bias, single.encoder.bias);
}

// Two and three ranks are the single-process algorithm with the encoder gradient's float sums in
// another order: weights agree to a rounding-level tolerance, the losses to 1e-4 relative, and
// the cluster counts and epoch counts exactly.
// Measured: 2.2e-8 (2 ranks), 2.4e-8 (3 ranks), weights starting in +-0.058; 1e-6 leaves 40x headroom.
constexpr double kWeightTolerance = 1e-6;

TEST(PretrainShard, TwoAndThreeRanksMatchOneWithinRounding) {
    const Corpus c = corpus();
    const auto o = small();
    const auto single = pretrain(c.sets(), o);
    for (int ranks : {2, 3}) {
        const auto r = sharded(c, o, ranks);
        EXPECT_LT(max_abs_diff(r.encoder.f32, single.encoder.f32), kWeightTolerance) << ranks << " ranks";
        EXPECT_LT(max_abs_diff(r.encoder.bias, single.encoder.bias), kWeightTolerance) << ranks << " ranks";
        EXPECT_NE(r.encoder.f32, single.encoder.f32) << "a bit-identical result would mean the sum was not exercised";
        ASSERT_EQ(r.log.size(), single.log.size()) << ranks << " ranks";
        for (size_t e = 0; e < r.log.size(); ++e)
            EXPECT_NEAR(r.log[e].loss, single.log[e].loss, 1e-4 * single.log[e].loss) << "epoch " << e;
        EXPECT_EQ(r.clusters, single.clusters);
    }
}

TEST(PretrainShard, LazyRowUpdatesShardToo) {
    const Corpus c = corpus();
    auto o = small();
    o.encoder_rows = nn::RowUpdate::Touched;
    o.phases = 1;
    const auto single = pretrain(c.sets(), o);
    const auto r = sharded(c, o, 2);
    EXPECT_LT(max_abs_diff(r.encoder.f32, single.encoder.f32), kWeightTolerance);
}

TEST(PretrainShard, InconsistentShardsAreRefused) {
    const Corpus c = corpus();
    const auto all = c.sets();
    SingleProcess one;
    PretrainShard shard;
    shard.comm = &one;
    shard.corpus_rows = c.rows();
    shard.corpus_index = {0, 0, 2};  // dataset 0 twice
    EXPECT_THROW(pretrain(all, small(), RunControl{}, shard, PretrainCheckpoint{}), InputError);
    shard.corpus_index = {1, 0, 2};  // sizes do not match the corpus's
    EXPECT_THROW(pretrain(all, small(), RunControl{}, shard, PretrainCheckpoint{}), InputError);
}

}  // namespace
}  // namespace scpt::train
