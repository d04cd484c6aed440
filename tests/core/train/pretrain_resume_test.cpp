// Checkpoints (pretrain.hpp PretrainCheckpoint, pretrain_state.hpp): a run stopped after any epoch
// and resumed from the state saved there ends with the uninterrupted run's weights and log, bit for
// bit; states of another run or damaged bytes are refused.
#include <gtest/gtest.h>

#include <map>

#include "core/train/pretrain.hpp"
#include "core/train/pretrain_state.hpp"
#include "core/util/error.hpp"
#include "tests/core/nn/random_csr.hpp"
#include "tests/core/train/thread_collective.hpp"

namespace scpt::train {
namespace {

struct Corpus {
    test::RandomCsr a, b;
    std::vector<PretrainDataset> sets() const { return {{"a", a.csr()}, {"b", b.csr()}}; }
};

Corpus corpus() {
    std::vector<int32_t> t;
    return {test::planted_sparse(4, 60, 200, 1, t), test::planted_sparse(3, 50, 200, 2, t)};
}

PretrainOptions small() {
    PretrainOptions o;
    o.max_epochs = 4;
    o.hidden = 16;
    o.lr = 1e-3;
    o.seed = 3;
    o.batches_per_epoch = 8;
    o.patience = 2;  // lets an early stop end a phase before max_epochs
    return o;
}

// Every state the run saves, by epochs done.
std::map<int, std::string> run_saving(const Corpus& c, const PretrainOptions& o, PretrainResult& result) {
    std::map<int, std::string> states;
    PretrainCheckpoint ck;
    ck.save = [&](const std::string& s, int epochs) { states[epochs] = s; };
    result = pretrain(c.sets(), o, RunControl{}, PretrainShard{}, ck);
    return states;
}

TEST(PretrainResume, StoppedAfterAnyEpochAndResumedEndsAsTheUninterruptedRun) {
    const Corpus c = corpus();
    const auto o = small();
    PretrainResult whole;
    const auto states = run_saving(c, o, whole);
    ASSERT_EQ(states.size(), whole.log.size());
    ASSERT_GE(whole.log.size(), 5u) << "both phases should run";
    for (const auto& saved_state : states) {
        // Named copies: C++17 lambdas cannot capture structured bindings (clang refuses).
        const int epochs = saved_state.first;
        const auto& state = saved_state.second;
        PretrainCheckpoint ck;
        ck.resume = &state;
        int saved = 0;
        ck.save = [&](const std::string&, int e) {
            EXPECT_GT(e, epochs);
            ++saved;
        };
        const auto r = pretrain(c.sets(), o, RunControl{}, PretrainShard{}, ck);
        EXPECT_EQ(r.encoder.f32, whole.encoder.f32) << "resumed after epoch " << epochs;
        EXPECT_EQ(r.encoder.bias, whole.encoder.bias) << "resumed after epoch " << epochs;
        ASSERT_EQ(r.log.size(), whole.log.size());
        for (size_t e = 0; e < r.log.size(); ++e) EXPECT_EQ(r.log[e].loss, whole.log[e].loss);
        EXPECT_EQ(r.clusters, whole.clusters);
        EXPECT_EQ(saved, int(whole.log.size()) - epochs);
    }
}

TEST(PretrainResume, AStopThrownFromSaveLeavesAResumableState) {
    const Corpus c = corpus();
    const auto o = small();
    PretrainResult whole;
    run_saving(c, o, whole);
    std::string last;
    PretrainCheckpoint ck;
    ck.save = [&](const std::string& s, int e) {
        last = s;
        if (e == 2) throw Cancelled();
    };
    EXPECT_THROW(pretrain(c.sets(), o, RunControl{}, PretrainShard{}, ck), Cancelled);
    PretrainCheckpoint again;
    again.resume = &last;
    EXPECT_EQ(pretrain(c.sets(), o, RunControl{}, PretrainShard{}, again).encoder.f32, whole.encoder.f32);
}

TEST(PretrainResume, ShardedRunsResumeToo) {
    const Corpus c = corpus();
    const auto o = small();
    const auto all = c.sets();
    const std::vector<int64_t> rows = {c.a.rows, c.b.rows};
    std::vector<std::map<int, std::string>> states(2);
    std::vector<PretrainResult> whole(2), resumed(2);
    auto run = [&](bool resume) {
        test::run_ranks(2, [&](Collective& comm) {
            const int r = comm.rank();
            PretrainShard shard{&comm, rows, {int64_t(r)}};
            PretrainCheckpoint ck;
            if (resume) ck.resume = &states[size_t(r)].at(3);
            else ck.save = [&](const std::string& s, int e) { states[size_t(r)][e] = s; };
            (resume ? resumed : whole)[size_t(r)] = pretrain({all[size_t(r)]}, o, RunControl{}, shard, ck);
        });
    };
    run(false);
    run(true);
    EXPECT_EQ(resumed[0].encoder.f32, whole[0].encoder.f32);
    EXPECT_EQ(resumed[1].encoder.f32, whole[0].encoder.f32);
}

TEST(PretrainResume, AnotherRunsOrDamagedStateIsRefused) {
    const Corpus c = corpus();
    auto o = small();
    PretrainResult whole;
    const auto states = run_saving(c, o, whole);
    const std::string& s = states.at(2);
    o.seed = 4;
    PretrainCheckpoint ck;
    ck.resume = &s;
    try {
        pretrain(c.sets(), o, RunControl{}, PretrainShard{}, ck);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("another run"), std::string::npos) << e.what();
    }
    std::string damaged = s;
    damaged[damaged.size() / 2] ^= 1;
    EXPECT_THROW(decode_state(damaged, "x"), InputError);
    EXPECT_THROW(decode_state(s.substr(0, s.size() - 9), "x"), InputError);
    EXPECT_THROW(decode_state("not a checkpoint", "x"), InputError);
    const PretrainState back = decode_state(s, "x");
    EXPECT_EQ(encode_state(back), s);
    EXPECT_EQ(back.epochs_done, 2);
}

}  // namespace
}  // namespace scpt::train
