// The two options annotate relies on: every type keeps a training cell, and early stopping on the
// validation loss.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/train/finetune.hpp"
#include "tests/core/nn/random_csr.hpp"

namespace scpt::train {
namespace {

TEST(FinetuneSplit, ATypeWithOneCellIsAlwaysTrainedOn) {
    std::vector<int32_t> truth;
    test::RandomCsr x = test::planted_sparse(3, 40, 60, 5, truth);
    // Type 2 keeps a single labelled cell; the others keep all theirs.
    std::vector<int32_t> labels = truth;
    bool kept = false;
    for (auto& l : labels)
        if (l == 2) {
            if (kept) l = -1;
            kept = true;
        }
    const int64_t single = std::find(labels.begin(), labels.end(), 2) - labels.begin();
    for (uint64_t seed = 0; seed < 40; ++seed) {
        FinetuneOptions o;
        o.mode = FinetuneMode::Scratch;
        o.hidden = 8;
        o.max_epochs = 2;
        o.seed = seed;
        const FinetuneResult r = finetune(x.csr(), labels, 3, {}, o);
        EXPECT_EQ(std::count(r.val_cells.begin(), r.val_cells.end(), single), 0) << "seed " << seed;
        EXPECT_EQ(std::count(r.train_cells.begin(), r.train_cells.end(), single), 1) << "seed " << seed;
        EXPECT_EQ(r.train_cells.size() + r.val_cells.size(), size_t(81));
    }
    // (Without the rule, a random 1/7 split puts it in validation about 6 times in 40 seeds.)
}

TEST(FinetuneSplit, StoppingOnValidationLossRecordsItAndRestoresTheBestState) {
    std::vector<int32_t> truth;
    test::RandomCsr x = test::planted_sparse(4, 50, 80, 9, truth);
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    o.hidden = 16;
    o.max_epochs = 60;
    o.patience = 5;
    o.stop_on = EarlyStop::ValidationLoss;
    const FinetuneResult r = finetune(x.csr(), truth, 4, {}, o);
    ASSERT_FALSE(r.log.empty());
    double best = 1e300;
    int best_epoch = 0;
    for (const auto& e : r.log) {
        EXPECT_GT(e.val_loss, 0.0);
        if (e.val_loss < best) best = e.val_loss, best_epoch = e.epoch;
    }
    EXPECT_EQ(r.best_epoch, best_epoch);
    // Stopped by patience or by the epoch limit, never before `patience` epochs without a lower loss.
    EXPECT_TRUE(int(r.log.size()) == o.max_epochs || int(r.log.size()) - best_epoch == o.patience);
}

}  // namespace
}  // namespace scpt::train
