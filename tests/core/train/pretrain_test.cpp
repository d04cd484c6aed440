#include "core/train/pretrain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

#include "core/util/error.hpp"
#include "tests/core/nn/random_csr.hpp"

namespace scpt::train {
namespace {

struct Corpus {
    test::RandomCsr a, b;
    std::vector<PretrainDataset> sets() const { return {{"a", a.csr()}, {"b", b.csr()}}; }
};

// Two small datasets over one 300-gene vocabulary, with planted cell types.
Corpus corpus() {
    std::vector<int32_t> ta, tb;
    return {test::planted_sparse(4, 80, 300, 1, ta), test::planted_sparse(3, 70, 300, 2, tb)};
}

PretrainOptions small() {
    PretrainOptions o;
    o.max_epochs = 6;
    o.hidden = 32;
    o.lr = 1e-3;  // a higher rate than scPretrain's so that a few epochs show learning
    o.seed = 7;
    return o;
}

TEST(Pretrain, ClusterCountsFollowTheReference) {
    // pretrain_ref.py: max(2, min(k, n - 1)) for k = n // 100, n // 50, n // 200 + 1.
    EXPECT_EQ(pseudo_label_counts(2170), (std::array<int, 3>{21, 43, 11}));
    EXPECT_EQ(pseudo_label_counts(571), (std::array<int, 3>{5, 11, 3}));
    EXPECT_EQ(pseudo_label_counts(150), (std::array<int, 3>{2, 3, 2}));
    EXPECT_EQ(pseudo_label_counts(3), (std::array<int, 3>{2, 2, 2}));
}

TEST(Pretrain, LossFallsInBothPhasesAndEncoderHasTheVocabularyShape) {
    Corpus c = corpus();
    std::vector<ProgressEvent> events;
    RunControl rc;
    rc.progress = [&](const ProgressEvent& e) { events.push_back(e); };
    auto r = pretrain(c.sets(), small(), rc);
    ASSERT_GE(r.log.size(), 4u);
    EXPECT_EQ(r.encoder.genes, 300);
    EXPECT_EQ(r.encoder.hidden, 32);
    EXPECT_EQ(r.encoder.f32.size(), 300u * 32u);
    EXPECT_EQ(r.encoder.bias.size(), 32u);
    for (int phase : {1, 2}) {
        double first = -1, last = -1;
        for (const auto& e : r.log)
            if (e.phase == phase) {
                if (first < 0) first = e.loss;
                last = e.loss;
            }
        ASSERT_GT(first, 0) << "phase " << phase << " ran no epoch";
        EXPECT_LT(last, 0.8 * first) << "phase " << phase;
    }
    ASSERT_EQ(r.clusters.size(), 2u);
    EXPECT_EQ(r.clusters[0][0], pseudo_label_counts(320));
    // Progress: epoch lines of stage "pretrain" with the loss as value.
    int epoch_events = 0;
    for (const auto& e : events)
        if (e.stage == "pretrain" && e.message.find("epoch") != std::string::npos) {
            ++epoch_events;
            EXPECT_GT(e.value, 0);
            EXPECT_NE(e.message.find("loss"), std::string::npos);
        }
    EXPECT_EQ(epoch_events, int(r.log.size()));
}

TEST(Pretrain, SameSeedSameWeightsForAnyThreadCount) {
    Corpus c = corpus();
    auto o = small();
    o.max_epochs = 2;
    RunControl one, two;
    two.threads = 2;
    auto a = pretrain(c.sets(), o, one);
    auto b = pretrain(c.sets(), o, one);
    auto t = pretrain(c.sets(), o, two);
    EXPECT_EQ(a.encoder.f32, b.encoder.f32);
    EXPECT_EQ(a.encoder.f32, t.encoder.f32);
    EXPECT_EQ(a.encoder.bias, t.encoder.bias);
    o.seed = 8;
    auto d = pretrain(c.sets(), o, one);
    EXPECT_NE(a.encoder.f32, d.encoder.f32);
}

TEST(Pretrain, LazyAndPyTorchRowUpdatesBothTrain) {
    Corpus c = corpus();
    auto o = small();
    o.max_epochs = 1;
    o.phases = 1;
    o.encoder_rows = nn::RowUpdate::Touched;
    auto lazy = pretrain(c.sets(), o);
    o.encoder_rows = nn::RowUpdate::All;
    auto all = pretrain(c.sets(), o);
    EXPECT_NE(lazy.encoder.f32, all.encoder.f32);
    EXPECT_NEAR(lazy.log[0].loss, all.log[0].loss, 0.05 * all.log[0].loss);
}

TEST(Pretrain, ADatasetSmallerThanTheBatchCountStillTrains) {
    // 3 cells and 30 batches: one cell in each of the first 3 steps (as the reference), none after.
    Corpus c = corpus();
    auto tiny = test::random_csr(3, 300, 0.2, 9);
    auto o = small();
    o.max_epochs = 2;
    auto r = pretrain({{"a", c.a.csr()}, {"tiny", tiny.csr()}}, o);
    EXPECT_EQ(r.clusters[0][1], (std::array<int, 3>{2, 2, 2}));
    for (const auto& e : r.log) EXPECT_TRUE(std::isfinite(e.loss));
}

TEST(Pretrain, AStepHoldsAtMostMaxStepCellsOfTheShard) {
    // n cells, 2 batches, at most 10 cells a step: ceil(n / 10) steps, exactly as that many batches
    // uncapped; a cap of half the shard or more changes nothing.
    Corpus c = corpus();
    const int64_t n = c.a.csr().rows + c.b.csr().rows;
    auto o = small();
    o.max_epochs = 2;
    o.batches_per_epoch = 2;
    o.max_step_cells = 10;
    auto capped = pretrain(c.sets(), o);
    o.batches_per_epoch = int((n + 9) / 10);
    o.max_step_cells = 0;
    EXPECT_EQ(capped.encoder.f32, pretrain(c.sets(), o).encoder.f32);
    o.batches_per_epoch = 2;
    auto two = pretrain(c.sets(), o);
    o.max_step_cells = (n + 1) / 2;
    EXPECT_EQ(pretrain(c.sets(), o).encoder.f32, two.encoder.f32);
    EXPECT_NE(capped.encoder.f32, two.encoder.f32);
    o.max_step_cells = -1;
    EXPECT_THROW(pretrain(c.sets(), o), InputError);
}

TEST(Pretrain, RejectsUnusableInputAndStopsWhenCancelled) {
    Corpus c = corpus();
    auto other = test::random_csr(10, 299, 0.1, 3);
    EXPECT_THROW(pretrain({{"a", c.a.csr()}, {"narrow", other.csr()}}, small()), InputError);
    auto tiny = test::random_csr(2, 300, 0.1, 4);
    try {
        pretrain({{"a", c.a.csr()}, {"tiny.h5ad", tiny.csr()}}, small());
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("tiny.h5ad"), std::string::npos);
    }
    EXPECT_THROW(pretrain({}, small()), InputError);
    std::atomic<bool> stop{false};
    RunControl rc;
    rc.cancel = &stop;
    rc.progress = [&](const ProgressEvent& e) {
        if (e.message.find("epoch 1 ") != std::string::npos) stop = true;
    };
    EXPECT_THROW(pretrain(c.sets(), small(), rc), Cancelled);
}

}  // namespace
}  // namespace scpt::train
