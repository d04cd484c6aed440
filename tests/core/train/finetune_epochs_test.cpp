// The per-epoch record the page's teaching view draws live: on_epoch sees every log entry as it
// is made, and the training accuracy is the share of training cells the epoch's forward pass got right.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/train/finetune.hpp"
#include "core/util/error.hpp"
#include "core/util/rng.hpp"
#include "tests/core/nn/random_csr.hpp"

namespace scpt::train {
namespace {

TEST(FinetuneEpochs, OnEpochSeesEveryEpochAndTrainingAccuracyRises) {
    std::vector<int32_t> truth;
    const test::RandomCsr x = test::planted_sparse(3, 60, 150, 8, truth);
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    o.hidden = 16;
    o.max_epochs = 60;
    o.patience = 60;
    std::vector<FinetuneEpoch> seen;
    o.on_epoch = [&](const FinetuneEpoch& e) { seen.push_back(e); };
    const FinetuneResult r = finetune(x.csr(), truth, 3, {}, o);
    ASSERT_EQ(seen.size(), r.log.size());
    ASSERT_EQ(int(seen.size()), 60);
    for (size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i].epoch, int(i) + 1);
        EXPECT_EQ(seen[i].train_accuracy, r.log[i].train_accuracy);
        EXPECT_EQ(seen[i].val_accuracy, r.log[i].val_accuracy);
        EXPECT_GE(seen[i].train_accuracy, 0.0);
        EXPECT_LE(seen[i].train_accuracy, 1.0);
        // A share of the training cells: a multiple of 1 / cells.
        const double cells = double(r.train_cells.size());
        EXPECT_NEAR(seen[i].train_accuracy * cells, std::round(seen[i].train_accuracy * cells), 1e-6);
    }
    // Three planted types: the network learns them, so the last epochs beat chance by far.
    EXPECT_GT(seen.back().train_accuracy, 0.9);
    EXPECT_LT(seen.front().train_accuracy, seen.back().train_accuracy);
}

TEST(FinetuneEpochs, OnEpochMayStopTheTraining) {
    std::vector<int32_t> truth;
    const test::RandomCsr x = test::planted_sparse(2, 30, 60, 9, truth);
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    o.hidden = 8;
    int calls = 0;
    o.on_epoch = [&](const FinetuneEpoch&) {
        if (++calls == 3) throw Cancelled();
    };
    EXPECT_THROW(finetune(x.csr(), truth, 2, {}, o), Cancelled);
    EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace scpt::train
