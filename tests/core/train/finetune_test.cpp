#include "core/train/finetune.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "core/stats/metrics.hpp"
#include "core/model/encode.hpp"
#include "core/train/mapped_matrix.hpp"
#include "core/train/pretrain.hpp"
#include "core/util/error.hpp"
#include "tests/core/nn/random_csr.hpp"
#include "tests/core/train/real_data.hpp"

namespace scpt::train {
namespace {

// Planted types with a random subset of cells labelled.
struct Toy {
    test::RandomCsr x;
    std::vector<int32_t> truth, labels;
};

Toy toy(double labelled_share = 0.5) {
    Toy t;
    t.x = test::planted_sparse(4, 100, 200, 21, t.truth);
    Rng rng(22);
    for (int32_t y : t.truth) t.labels.push_back(rng.uniform() < labelled_share ? y : -1);
    return t;
}

double accuracy_on_unlabelled(const Toy& t, const std::vector<int32_t>& pred) {
    int64_t ok = 0, n = 0;
    for (size_t i = 0; i < pred.size(); ++i)
        if (t.labels[i] < 0) {
            ++n;
            ok += pred[i] == t.truth[i];
        }
    return double(ok) / double(n);
}

TEST(Finetune, ScratchLearnsPlantedTypesAndPredictsProbabilities) {
    Toy t = toy();
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    o.hidden = 32;
    auto r = finetune(t.x.csr(), t.labels, 4, {}, o);
    auto pred = r.classifier.predict(t.x.csr());
    EXPECT_GT(accuracy_on_unlabelled(t, pred), 0.95);
    auto p = r.classifier.predict_proba(t.x.csr());
    ASSERT_EQ(p.rows(), 400);
    ASSERT_EQ(p.cols(), 4);
    for (int64_t i = 0; i < p.rows(); ++i) EXPECT_NEAR(p.row(i).sum(), 1.f, 1e-5);
    // Split as peers.py: 1/7 of the labelled cells for validation, disjoint from training.
    const size_t labelled = t.labels.size() - size_t(std::count(t.labels.begin(), t.labels.end(), -1));
    EXPECT_EQ(r.val_cells.size(), size_t(std::llround(labelled / 7.0)));
    EXPECT_EQ(r.train_cells.size() + r.val_cells.size(), labelled);
    for (int64_t v : r.val_cells) EXPECT_EQ(std::count(r.train_cells.begin(), r.train_cells.end(), v), 0);
}

TEST(Finetune, EarlyStoppingRestoresTheBestValidationState) {
    Toy t = toy();
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    o.hidden = 16;
    o.patience = 5;
    auto r = finetune(t.x.csr(), t.labels, 4, {}, o);
    ASSERT_FALSE(r.log.empty());
    // Stopped `patience` epochs after the best one (or ran out of epochs).
    EXPECT_TRUE(int(r.log.size()) == r.best_epoch + o.patience || int(r.log.size()) == o.max_epochs);
    double best = 0;
    for (const auto& e : r.log) best = std::max(best, e.val_accuracy);
    EXPECT_EQ(r.best_val_accuracy, best);
    EXPECT_EQ(r.log[size_t(r.best_epoch - 1)].val_accuracy, best);
    // The returned classifier is that state: its validation accuracy is the best one.
    auto pred = r.classifier.predict(t.x.csr());
    int64_t ok = 0;
    for (int64_t v : r.val_cells) ok += pred[size_t(v)] == t.labels[size_t(v)];
    EXPECT_DOUBLE_EQ(double(ok) / double(r.val_cells.size()), best);
}

TEST(Finetune, SameSeedSameClassifierForAnyThreadCount) {
    Toy t = toy();
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    o.hidden = 16;
    o.max_epochs = 40;
    RunControl one, two;
    two.threads = 2;
    auto a = finetune(t.x.csr(), t.labels, 4, {}, o, one);
    auto b = finetune(t.x.csr(), t.labels, 4, {}, o, two);
    EXPECT_EQ(a.classifier.encoder.weight, b.classifier.encoder.weight);
    EXPECT_TRUE(a.classifier.fc2.weight == b.classifier.fc2.weight);
    EXPECT_EQ(a.train_cells, b.train_cells);
    o.seed = 1;
    auto c = finetune(t.x.csr(), t.labels, 4, {}, o, one);
    EXPECT_NE(a.train_cells, c.train_cells);
}

TEST(Finetune, HeadModeFreezesTheEncoderAndMatchesFinetuneHead) {
    Toy t = toy();
    // A "pre-trained" encoder over a vocabulary where dataset gene g sits at row 2g + 1.
    Rng rng(5);
    nn::SparseLinear pre;
    pre.init(401, 24, rng);
    EncoderWeights w;
    w.genes = 401;
    w.hidden = 24;
    w.f32 = pre.weight;
    w.bias = pre.bias;
    EncoderInit init{&w, {}};
    for (int64_t g = 0; g < 200; ++g) init.gene_to_row.push_back(g == 7 ? -1 : int32_t(2 * g + 1));
    FinetuneOptions o;
    o.mode = FinetuneMode::Head;
    auto r = finetune(t.x.csr(), t.labels, 4, init, o);
    for (int64_t g = 0; g < 200; ++g)
        for (int64_t h = 0; h < 24; ++h)
            EXPECT_EQ(r.classifier.encoder.row(g)[h], g == 7 ? 0.f : w.f32[size_t((2 * g + 1) * 24 + h)]);
    EXPECT_EQ(r.classifier.encoder.bias, w.bias);
    auto h = r.classifier.embed(t.x.csr());
    auto r2 = finetune_head(h, t.labels, 4, o);
    EXPECT_TRUE(r.classifier.fc1.weight == r2.classifier.fc1.weight);
    EXPECT_TRUE(r.classifier.fc2.bias == r2.classifier.fc2.bias);
    EXPECT_EQ(argmax_rows(r2.classifier.head_logits(h)), r.classifier.predict(t.x.csr()));
    // Full mode starts from the same rows and moves them.
    o.mode = FinetuneMode::Full;
    o.max_epochs = 5;
    auto f = finetune(t.x.csr(), t.labels, 4, init, o);
    EXPECT_NE(f.classifier.encoder.weight, r.classifier.encoder.weight);
    EXPECT_EQ(f.classifier.encoder.row(7)[0] == 0.f, false);  // the unknown gene got a fresh init
}

TEST(Finetune, ClassWeightsAreAnOption) {
    Toy t = toy();
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    o.hidden = 16;
    o.max_epochs = 10;
    auto a = finetune(t.x.csr(), t.labels, 4, {}, o);  // Auto: balanced for Scratch
    o.class_weights = ClassWeights::None;
    auto b = finetune(t.x.csr(), t.labels, 4, {}, o);
    o.class_weights = ClassWeights::Balanced;
    auto c = finetune(t.x.csr(), t.labels, 4, {}, o);
    EXPECT_NE(a.log[0].loss, b.log[0].loss);  // near-balanced classes here, but weights differ from 1
    EXPECT_EQ(a.log[0].loss, c.log[0].loss);
}

TEST(Finetune, RejectsUnusableLabelsAndStopsWhenCancelled) {
    Toy t = toy();
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    std::vector<int32_t> one_class(t.labels.size(), -1);
    one_class[0] = one_class[1] = 0;
    EXPECT_THROW(finetune(t.x.csr(), one_class, 1, {}, o), InputError);
    std::vector<int32_t> single(t.labels.size(), -1);
    single[3] = 1;
    EXPECT_THROW(finetune(t.x.csr(), single, 4, {}, o), InputError);
    std::atomic<bool> stop{true};
    RunControl rc;
    rc.cancel = &stop;
    EXPECT_THROW(finetune(t.x.csr(), t.labels, 4, {}, o, rc), Cancelled);
}

// Real data: the three cell lines of CellBench CEL-seq2 (240 cells, 28k genes, raw counts).
// Labelled = a random 70% (the paper's 60% train + 10% validation); scored on the other 30%.
TEST(FinetuneRealData, LearnsTheCellLinesOfCellBench) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    auto d = test::read_transformed("cellbench_celseq2_3cl");
    Rng rng(3);
    std::vector<int32_t> labels = d.labels;
    for (auto& l : labels)
        if (rng.uniform() >= 0.7) l = -1;
    const auto x = nn::CsrRef::of(d.m);
    FinetuneOptions o;
    o.mode = FinetuneMode::Scratch;
    auto r = finetune(x, labels, int(d.classes.size()), {}, o);
    auto pred = r.classifier.predict(x);
    std::vector<int32_t> truth, p;
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] < 0) {
            truth.push_back(d.labels[i]);
            p.push_back(pred[i]);
        }
    auto s = score_labels(truth, p, int32_t(d.classes.size()));
    EXPECT_GT(s.accuracy, 0.9);
    EXPECT_GT(s.macro_f1, 0.9);
}

// Pre-training on real data lowers its loss, and its frozen encoder alone (Head mode) lets the
// small head separate the cell lines: the representation carries cell identity. Counts per 10k
// + log1p here: on plain log1p counts of these plate data the K-means pseudo-labels follow
// library size (12x range) rather than the cell line, and a frozen encoder learns that instead.
TEST(PretrainRealData, LossFallsAndTheFrozenEncoderSeparatesCellLines) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    auto d = test::read_transformed("cellbench_celseq2_3cl", Transform::CountsPer10kLog1p);
    const auto x = nn::CsrRef::of(d.m);
    PretrainOptions po;
    po.max_epochs = 5;
    po.phases = 1;
    po.lr = 1e-3;  // few epochs: a faster rate than the paper's 1e-4 to see learning quickly
    po.seed = 1;
    auto pr = pretrain({{"cellbench", x}}, po);
    ASSERT_EQ(pr.log.size(), 5u);
    EXPECT_LT(pr.log.back().loss, 0.7 * pr.log.front().loss);
    Rng rng(3);
    std::vector<int32_t> labels = d.labels;
    for (auto& l : labels)
        if (rng.uniform() >= 0.7) l = -1;
    EncoderInit init{&pr.encoder, {}};
    for (int64_t g = 0; g < d.m.n_genes; ++g) init.gene_to_row.push_back(int32_t(g));
    FinetuneOptions o;
    o.mode = FinetuneMode::Head;
    auto r = finetune(x, labels, int(d.classes.size()), init, o);
    // The frozen encoder computes what the model's inference kernel computes.
    RowMatrix ref = encode(d.m, init.gene_to_row, pr.encoder);
    EXPECT_LT((r.classifier.embed(x) - ref).cwiseAbs().maxCoeff(), 1e-5f);
    auto pred = r.classifier.predict(x);
    int64_t ok = 0, n = 0;
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] < 0) {
            ++n;
            ok += pred[i] == d.labels[i];
        }
    EXPECT_GT(double(ok) / double(n), 0.9);
}

}  // namespace
}  // namespace scpt::train
