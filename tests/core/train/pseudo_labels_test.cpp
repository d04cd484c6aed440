// The pseudo-label rule pre-training and the page's teaching view share: the three cluster
// counts of pretrain_ref.py, one clustering per count, seeded as pre-training seeds them.
#include "core/train/pseudo_labels.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/stats/metrics.hpp"
#include "core/cluster/kmeans.hpp"
#include "core/util/error.hpp"
#include "core/util/rng.hpp"
#include "tests/core/nn/random_csr.hpp"

namespace scpt::train {
namespace {

TEST(PseudoLabels, CountsAreTheReferencesRule) {
    // pretrain_ref.py: max(2, min(k, n - 1)) for k = n // 100, n // 50, n // 200 + 1.
    EXPECT_EQ(pseudo_label_counts(10000), (std::array<int, 3>{100, 200, 51}));
    EXPECT_EQ(pseudo_label_counts(500), (std::array<int, 3>{5, 10, 3}));
    EXPECT_EQ(pseudo_label_counts(242), (std::array<int, 3>{2, 4, 2}));
    EXPECT_EQ(pseudo_label_counts(121), (std::array<int, 3>{2, 2, 2}));
    EXPECT_EQ(pseudo_label_counts(3), (std::array<int, 3>{2, 2, 2}));
}

TEST(PseudoLabels, ThreeClusteringsWithTheRulesCountsFindPlantedTypes) {
    std::vector<int32_t> truth;
    const test::RandomCsr x = test::planted_sparse(5, 100, 300, 3, truth);  // 500 cells: k = 5, 10, 3
    PseudoLabelOptions o;
    o.seed = 11;
    const PseudoLabels pl = pseudo_labels(x.csr(), o);
    ASSERT_EQ(pl.k, pseudo_label_counts(500));
    for (int j = 0; j < 3; ++j) {
        ASSERT_EQ(pl.labels[size_t(j)].size(), size_t(500));
        const std::set<int32_t> used(pl.labels[size_t(j)].begin(), pl.labels[size_t(j)].end());
        EXPECT_EQ(int(used.size()), pl.k[size_t(j)]) << "level " << j;  // no empty cluster on distinct points
        EXPECT_GE(*used.begin(), 0);
        EXPECT_LT(*used.rbegin(), pl.k[size_t(j)]);
    }
    // k = 5 on five planted types: the types themselves.
    EXPECT_GT(adjusted_rand_index(pl.labels[0], truth), 0.9);
}

TEST(PseudoLabels, SeededAsPretrainingSeedsEachClustering) {
    std::vector<int32_t> truth;
    const test::RandomCsr x = test::planted_sparse(3, 60, 120, 5, truth);
    PseudoLabelOptions o;
    o.seed = 4;
    o.phase = 2;
    o.corpus_index = 1;
    o.kmeans_iters = 7;
    const PseudoLabels pl = pseudo_labels(x.csr(), o);
    for (int j = 0; j < 3; ++j) {
        // pretrain.cpp's seed before the rule moved here: Rng(seed).split(1000 phase + 3 corpus + level).
        cluster::KmeansOptions ko;
        ko.k = pl.k[size_t(j)];
        ko.max_iters = 7;
        ko.seed = Rng(4).split(uint64_t(1000 * 2 + 3 * 1 + j)).next_u64();
        EXPECT_EQ(pseudo_label_seed(o, j), ko.seed);
        EXPECT_EQ(cluster::kmeans(x.csr(), ko).labels, pl.labels[size_t(j)]) << "level " << j;
    }
    EXPECT_NE(pseudo_label_seed(o, 0), pseudo_label_seed(o, 1));
    PseudoLabelOptions other = o;
    other.phase = 1;
    EXPECT_NE(pseudo_label_seed(other, 0), pseudo_label_seed(o, 0));
    EXPECT_EQ(pseudo_labels(x.csr(), o).labels, pl.labels);  // deterministic
}

TEST(PseudoLabels, DenseInputAndTooFewCells) {
    nn::Matrix z(6, 2);
    z << 0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10;
    const PseudoLabels pl = pseudo_labels(z, PseudoLabelOptions{});
    EXPECT_EQ(pl.k, (std::array<int, 3>{2, 2, 2}));
    for (const auto& l : pl.labels) {
        EXPECT_EQ(l[0], l[1]);
        EXPECT_EQ(l[0], l[2]);
        EXPECT_EQ(l[3], l[5]);
        EXPECT_NE(l[0], l[3]);
    }
    EXPECT_THROW(pseudo_labels(nn::Matrix(2, 2), PseudoLabelOptions{}), InputError);
}

}  // namespace
}  // namespace scpt::train
