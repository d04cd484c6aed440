#include "core/train/pretrain.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <utility>

#include "core/cluster/kmeans.hpp"
#include "core/nn/activation.hpp"
#include "core/nn/linear.hpp"
#include "core/nn/softmax_xent.hpp"
#include "core/nn/sparse_linear.hpp"
#include "core/util/denormals.hpp"
#include "core/util/error.hpp"
#include "core/util/parallel.hpp"
#include "core/util/rng.hpp"

namespace scpt::train {
namespace {

using Clock = std::chrono::steady_clock;
using nn::Matrix;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string duration_text(double s) {
    char buf[32];
    if (s < 90)
        std::snprintf(buf, sizeof buf, "%.0fs", s);
    else if (s < 5400)
        std::snprintf(buf, sizeof buf, "%.0fm%02.0fs", std::floor(s / 60), std::fmod(s, 60.0));
    else
        std::snprintf(buf, sizeof buf, "%.0fh%02.0fm", std::floor(s / 3600), std::floor(std::fmod(s, 3600.0) / 60));
    return buf;
}

struct Head {
    nn::Linear lin;
    nn::AdamSlot w, b;
    nn::LinearGrad grad;
    Matrix logits, dlogits, dh;
};

// One dataset's pseudo-labels, heads and per-step scratch.
struct Task {
    const PretrainDataset* data = nullptr;
    std::array<std::vector<int32_t>, 3> labels;
    std::array<Head, 3> heads;
    std::vector<int64_t> perm;
    int64_t row0 = 0, rows = 0;  // this dataset's rows within the step's stacked batch
    std::array<std::vector<int32_t>, 3> batch_labels;
    Matrix h, dh;
    double loss = 0;
};

class Pretrainer {
public:
    Pretrainer(const std::vector<PretrainDataset>& ds, const PretrainOptions& o, const RunControl& rc)
        : o_(o), rc_(rc), tasks_(ds.size()) {
        for (size_t i = 0; i < ds.size(); ++i) tasks_[i].data = &ds[i];
        vocab_ = ds.front().x.cols;
        Rng init = Rng(o.seed).split(1);
        enc_.init(vocab_, o.hidden, init);
    }

    PretrainResult run() {
        PretrainResult res;
        double epoch_seconds = 0;
        int epochs_done = 0;
        for (int phase = 1; phase <= o_.phases; ++phase) {
            auto tk = Clock::now();
            res.clusters.push_back(make_labels(phase));
            res.kmeans_seconds += seconds_since(tk);
            Rng rng = Rng(o_.seed).split(uint64_t(100 + phase));
            for (size_t i = 0; i < tasks_.size(); ++i)
                for (int j = 0; j < 3; ++j) {
                    Head& h = tasks_[i].heads[size_t(j)];
                    h.lin.init(o_.hidden, res.clusters.back()[i][size_t(j)], rng);
                    h.w = {};
                    h.b = {};
                }
            enc_w_ = {};
            enc_b_ = {};
            double best = std::numeric_limits<double>::infinity();
            int bad = 0;
            for (int epoch = 1; epoch <= o_.max_epochs; ++epoch) {
                auto te = Clock::now();
                for (auto& t : tasks_) {
                    t.perm.resize(size_t(t.data->x.rows));
                    std::iota(t.perm.begin(), t.perm.end(), int64_t(0));
                    rng.shuffle(t.perm);
                }
                double total = 0;
                for (int b = 0; b < o_.batches_per_epoch; ++b) {
                    rc_.check_cancel();
                    total += step(b);
                }
                double secs = seconds_since(te);
                epoch_seconds += secs;
                ++epochs_done;
                res.log.push_back({phase, epoch, total, secs});
                report(phase, epoch, total, epoch_seconds / epochs_done);
                if (total < best) {
                    best = total;
                    bad = 0;
                } else if (++bad >= o_.patience) {
                    break;
                }
            }
        }
        res.encoder.genes = vocab_;
        res.encoder.hidden = o_.hidden;
        res.encoder.dtype = DType::F32;
        res.encoder.f32 = std::move(enc_.weight);
        res.encoder.bias = std::move(enc_.bias);
        return res;
    }

private:
    // K-means pseudo-labels of every dataset: on the expression (phase 1) or on the encoder's
    // sigmoid output (phase 2). Seeds derive from the run's seed, the phase, dataset and level.
    std::vector<std::array<int, 3>> make_labels(int phase) {
        std::vector<std::array<int, 3>> ks;
        RunControl sub;
        sub.cancel = rc_.cancel;
        sub.threads = rc_.threads;
        for (size_t i = 0; i < tasks_.size(); ++i) {
            Task& t = tasks_[i];
            const auto counts = pseudo_label_counts(t.data->x.rows);
            ks.push_back(counts);
            Matrix z;
            if (phase > 1) {
                enc_.forward_all(t.data->x, z, rc_.threads);
                nn::sigmoid_inplace(z);
            }
            for (int j = 0; j < 3; ++j) {
                rc_.report({"pretrain", double(phase - 1) / o_.phases,
                            "phase " + std::to_string(phase) + ": clustering " + t.data->name + " into " +
                                std::to_string(counts[size_t(j)]) + " groups",
                            0.0});
                cluster::KmeansOptions ko;
                ko.k = counts[size_t(j)];
                ko.max_iters = o_.kmeans_iters;
                ko.seed = Rng(o_.seed).split(uint64_t(1000 * phase + 3 * i + j)).next_u64();
                auto r = phase > 1 ? cluster::kmeans(z, ko, sub) : cluster::kmeans(t.data->x, ko, sub);
                t.labels[size_t(j)] = std::move(r.labels);
            }
        }
        return ks;
    }

    // One optimisation step on slice b of every dataset's permutation; returns the summed loss.
    double step(int b) {
        batch_.reset(vocab_);
        int64_t rows = 0;
        for (auto& t : tasks_) {
            const int64_t n = t.data->x.rows;
            const int64_t bs = std::max<int64_t>(1, n / o_.batches_per_epoch);
            const int64_t begin = std::min(n, b * bs), end = std::min(n, begin + bs);
            t.row0 = rows;
            t.rows = end - begin;
            batch_.append(t.data->x, t.perm.data() + begin, t.rows);
            for (int j = 0; j < 3; ++j) {
                auto& bl = t.batch_labels[size_t(j)];
                bl.resize(size_t(t.rows));
                for (int64_t r = 0; r < t.rows; ++r) bl[size_t(r)] = t.labels[size_t(j)][size_t(t.perm[size_t(begin + r)])];
            }
            rows += t.rows;
        }
        if (rows == 0) return 0.0;
        batch_.finalize();
        enc_.forward(batch_, h_, rc_.threads);
        nn::sigmoid_inplace(h_);
        dh_.resize(rows, o_.hidden);

        // The heads of each dataset are independent: one thread per dataset, so every sum keeps
        // the same order whatever the thread count.
        const nn::Adam adam(adam_options());
        parallel_chunks(int64_t(tasks_.size()), rc_.threads, [&](int64_t i0, int64_t i1, int) {
            for (int64_t i = i0; i < i1; ++i) task_step(tasks_[size_t(i)], adam);
        });
        double loss = 0;
        for (auto& t : tasks_) loss += t.loss;

        nn::sigmoid_backward_inplace(h_, dh_);
        enc_.backward(batch_, dh_, grad_, rc_.threads);
        adam.update_rows(enc_w_, enc_.weight.data(), vocab_, o_.hidden, grad_.rows.data(), int64_t(grad_.rows.size()),
                         grad_.w.data(), o_.encoder_rows, rc_.threads);
        adam.update(enc_b_, enc_.bias.data(), grad_.bias.data(), o_.hidden);
        return loss;
    }

    void task_step(Task& t, const nn::Adam& adam) {
        t.loss = 0;
        if (t.rows == 0) return;
        t.h = h_.middleRows(t.row0, t.rows);
        t.dh.setZero(t.rows, o_.hidden);
        for (int j = 0; j < 3; ++j) {
            Head& hd = t.heads[size_t(j)];
            hd.lin.forward(t.h, hd.logits);
            t.loss += nn::softmax_cross_entropy(hd.logits, t.batch_labels[size_t(j)].data(), hd.dlogits);
            hd.lin.backward(t.h, hd.dlogits, hd.grad, &hd.dh);
            t.dh += hd.dh;
            adam.update(hd.w, hd.lin.weight.data(), hd.grad.w.data(), hd.lin.weight.size());
            adam.update(hd.b, hd.lin.bias.data(), hd.grad.b.data(), hd.lin.bias.size());
        }
        dh_.middleRows(t.row0, t.rows) = t.dh;
    }

    nn::AdamOptions adam_options() const {
        nn::AdamOptions a;
        a.lr = o_.lr;
        return a;
    }

    void report(int phase, int epoch, double loss, double avg_epoch) const {
        const int total = o_.phases * o_.max_epochs;
        const int done = (phase - 1) * o_.max_epochs + epoch;
        char buf[160];
        std::snprintf(buf, sizeof buf, "phase %d epoch %d loss %.4f (up to %s left)", phase, epoch, loss,
                      duration_text(avg_epoch * (total - done)).c_str());
        rc_.report({"pretrain", double(done) / total, buf, loss});
    }

    PretrainOptions o_;
    const RunControl& rc_;
    std::vector<Task> tasks_;
    int64_t vocab_ = 0;
    nn::SparseLinear enc_;
    nn::AdamSlot enc_w_, enc_b_;
    nn::SparseBatch batch_;
    nn::SparseGrad grad_;
    Matrix h_, dh_;
};

void validate(const std::vector<PretrainDataset>& ds, const PretrainOptions& o) {
    if (ds.empty()) throw InputError("pre-training needs at least one dataset");
    if (o.phases < 1 || o.phases > 2) throw InputError("pre-training phases must be 1 or 2");
    if (o.max_epochs < 1) throw InputError("pre-training needs at least one epoch");
    if (o.hidden < 1 || o.batches_per_epoch < 1 || o.patience < 1 || !(o.lr > 0))
        throw InputError("pre-training options out of range (hidden, batches, patience and lr must be positive)");
    for (const auto& d : ds) {
        if (d.x.cols != ds.front().x.cols)
            throw input_error(d.name, "has " + std::to_string(d.x.cols) + " genes but the shared vocabulary has " +
                                          std::to_string(ds.front().x.cols));
        if (d.x.rows < 3)
            throw input_error(d.name, "has " + std::to_string(d.x.rows) +
                                          " cells; pre-training needs at least 3 cells per dataset");
    }
    if (ds.front().x.cols < 1) throw InputError("the shared vocabulary of the pre-training datasets is empty");
}

}  // namespace

std::array<int, 3> pseudo_label_counts(int64_t n) {
    auto clamp = [n](int64_t k) { return int(std::max<int64_t>(2, std::min<int64_t>(k, n - 1))); };
    return {clamp(n / 100), clamp(n / 50), clamp(n / 200 + 1)};
}

PretrainResult pretrain(const std::vector<PretrainDataset>& datasets, const PretrainOptions& options,
                        const RunControl& control) {
    validate(datasets, options);
    FlushDenormals ftz;
    return Pretrainer(datasets, options, control).run();
}

}  // namespace scpt::train
