#include "core/train/pretrain.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <utility>

#include "core/cluster/kmeans.hpp"
#include "core/cluster/kmeans_stream.hpp"
#include "core/nn/activation.hpp"
#include "core/nn/linear.hpp"
#include "core/nn/softmax_xent.hpp"
#include "core/nn/sparse_linear.hpp"
#include "core/util/denormals.hpp"
#include "core/util/error.hpp"
#include "core/util/parallel.hpp"
#include "core/util/rng.hpp"
#include "core/util/xxh64.hpp"
#include "core/train/gradient_sum.hpp"
#include "core/train/pretrain_chunks.hpp"
#include "core/train/pretrain_state.hpp"
#include "core/train/pseudo_labels.hpp"

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
    int64_t corpus = 0;  // index in the corpus (seeds, shuffles and head initialisations follow it)
    std::array<std::vector<int32_t>, 3> labels;
    std::array<Head, 3> heads;
    std::vector<int64_t> perm;   // the epoch's order of its cells
    int64_t step_chunk = 0;      // cells per chunk read for the steps (pretrain_chunks.hpp)
    int64_t cached = -1;         // the chunk `cache` holds, -1: none
    nn::CsrRef cache;
    int64_t row0 = 0, rows = 0;  // this dataset's rows within the step's stacked batch
    std::array<std::vector<int32_t>, 3> batch_labels;
    Matrix h, dh;
    double loss = 0;
};

class Pretrainer {
public:
    Pretrainer(const std::vector<PretrainDataset>& ds, const PretrainOptions& o, const RunControl& rc,
               const PretrainShard& shard, const PretrainCheckpoint& ckpt)
        : o_(o), rc_(rc), ckpt_(ckpt), tasks_(ds.size()) {
        comm_ = shard.comm && shard.comm->size() > 1 ? shard.comm : nullptr;
        corpus_rows_ = shard.corpus_rows;
        if (corpus_rows_.empty())
            for (const auto& d : ds) corpus_rows_.push_back(d.x.rows);
        local_of_.assign(corpus_rows_.size(), -1);
        for (size_t i = 0; i < ds.size(); ++i) {
            tasks_[i].data = &ds[i];
            tasks_[i].corpus = shard.corpus_index.empty() ? int64_t(i) : shard.corpus_index[i];
            const int64_t c = tasks_[i].corpus;
            if (c < 0 || c >= int64_t(corpus_rows_.size()) || local_of_[size_t(c)] >= 0 || corpus_rows_[size_t(c)] != ds[i].x.rows)
                throw InputError("pre-training shard: dataset " + ds[i].name + " has no consistent corpus index");
            local_of_[size_t(c)] = int64_t(i);
        }
        int64_t corpus_cells = 0;
        for (int64_t n : corpus_rows_) corpus_cells += n;
        for (int64_t n : corpus_rows_) step_chunks_.push_back(step_chunk_rows(n, corpus_cells, o.chunk_cells));
        for (auto& t : tasks_) t.step_chunk = step_chunks_[size_t(t.corpus)];
        vocab_ = ds.empty() ? 0 : ds.front().x.cols;
        if (comm_) {  // a rank may hold no dataset; the vocabulary width is everyone's
            const auto widths = comm_->allgather(std::to_string(vocab_));
            vocab_ = 0;
            for (const auto& w : widths)
                if (std::stoll(w) > 0) vocab_ = std::stoll(w);
            for (const auto& w : widths)
                if (std::stoll(w) > 0 && std::stoll(w) != vocab_)
                    throw InputError("pre-training ranks disagree on the vocabulary width");
        }
        batches_ = step_count(o);
        Rng init = Rng(o.seed).split(1);
        enc_.init(vocab_, o.hidden, init);
        fingerprint_ = make_fingerprint();
    }

    PretrainResult run() {
        PretrainResult res;
        int start_phase = 1;
        bool resumed = false;
        if (ckpt_.resume) {
            restore(decode_state(*ckpt_.resume, "the checkpoint"), res);
            resumed = true;
            start_phase = phase_done_ ? phase_ + 1 : phase_;
        }
        for (int phase = start_phase; phase <= o_.phases; ++phase) {
            const bool continuing = resumed && !phase_done_ && phase == phase_;
            if (!continuing) start_phase_state(phase, res);
            phase_ = phase;
            for (int epoch = epoch_ + 1; epoch <= o_.max_epochs; ++epoch) {
                auto te = Clock::now();
                // Every rank draws every dataset's order from the one stream (others' as draws only).
                for (int64_t c = 0; c < int64_t(corpus_rows_.size()); ++c) {
                    const int64_t local = local_of_[size_t(c)];
                    Task* t = local >= 0 ? &tasks_[size_t(local)] : nullptr;
                    epoch_order(rng_, corpus_rows_[size_t(c)], step_chunks_[size_t(c)], t ? &t->perm : nullptr);
                    if (t) t->cached = -1;
                }
                double total = 0;
                for (int b = 0; b < batches_; ++b) {
                    if (!comm_) rc_.check_cancel();  // ranks stop together: the cancel flag rides the sum
                    total += step(b);
                }
                if (comm_) {
                    comm_->sum(&total, 1);
                    check_agreement();
                }
                double secs = seconds_since(te);
                epoch_seconds_ += secs;
                ++epochs_done_;
                res.log.push_back({phase, epoch, total, secs});
                report(phase, epoch, total, epoch_seconds_ / epochs_done_);
                epoch_ = epoch;
                bool stop = false;
                if (total < best_) {
                    best_ = total;
                    bad_ = 0;
                } else if (++bad_ >= o_.patience) {
                    stop = true;
                }
                phase_done_ = stop || epoch == o_.max_epochs;
                if (ckpt_.save) ckpt_.save(encode_state(snapshot(res)), epochs_done_);
                if (stop) break;
            }
        }
        res.kmeans_seconds = kmeans_seconds_;
        res.encoder.genes = vocab_;
        res.encoder.hidden = o_.hidden;
        res.encoder.dtype = DType::F32;
        res.encoder.f32 = std::move(enc_.weight);
        res.encoder.bias = std::move(enc_.bias);
        return res;
    }

private:
    // A new phase: pseudo-labels, fresh heads (drawn in corpus order, skipping other ranks'
    // datasets with the same draws) and a fresh optimiser.
    void start_phase_state(int phase, PretrainResult& res) {
        auto tk = Clock::now();
        res.clusters.push_back(make_labels(phase));
        kmeans_seconds_ += seconds_since(tk);
        rng_ = Rng(o_.seed).split(uint64_t(100 + phase));
        for (size_t c = 0; c < corpus_rows_.size(); ++c)
            for (int j = 0; j < 3; ++j) {
                const int k = res.clusters.back()[c][size_t(j)];
                if (local_of_[c] < 0) {
                    nn::Linear scratch;
                    scratch.init(o_.hidden, k, rng_);
                    continue;
                }
                Head& h = tasks_[size_t(local_of_[c])].heads[size_t(j)];
                h.lin.init(o_.hidden, k, rng_);
                h.w = {};
                h.b = {};
            }
        enc_w_ = {};
        enc_b_ = {};
        best_ = std::numeric_limits<double>::infinity();
        bad_ = 0;
        epoch_ = 0;
        phase_done_ = false;
    }

    // K-means pseudo-labels of the local datasets: on the expression (phase 1) or on the encoder's
    // sigmoid output (phase 2). Seeds derive from the run's seed, the phase, corpus index and level.
    // Returns the cluster counts of every corpus dataset (they depend on its size only).
    std::vector<std::array<int, 3>> make_labels(int phase) {
        std::vector<std::array<int, 3>> ks;
        for (int64_t n : corpus_rows_) ks.push_back(pseudo_label_counts(n));
        for (Task& t : tasks_) {
            const auto counts = ks[size_t(t.corpus)];
            const int64_t n = t.data->x.rows, chunk = kmeans_chunk_rows(n, o_.chunk_cells);
            t.cached = -1;  // K-means reads the dataset's stream too
            nn::CsrRef x;
            Matrix z;
            if (chunk >= n) {  // whole, as in memory
                x = dataset_rows(*t.data, 0, n);
                if (phase > 1) {
                    enc_.forward_all(x, z, rc_.threads);
                    nn::sigmoid_inplace(z);
                }
            }
            rc_.report({"pretrain", double(phase - 1) / o_.phases,
                        "phase " + std::to_string(phase) + ": clustering " + t.data->name + " into " +
                            std::to_string(counts[0]) + ", " + std::to_string(counts[1]) + " and " +
                            std::to_string(counts[2]) + " groups",
                        0.0});
            PseudoLabelOptions po;
            po.kmeans_iters = o_.kmeans_iters;
            po.seed = o_.seed;
            po.phase = phase;
            po.corpus_index = t.corpus;
            if (chunk >= n) {
                PseudoLabels pl = phase > 1 ? pseudo_labels(z, po, rc_) : pseudo_labels(x, po, rc_);
                for (int j = 0; j < 3; ++j) t.labels[size_t(j)] = std::move(pl.labels[size_t(j)]);
            } else {
                // The same three clusterings and seeds (pseudo_labels.hpp), over the dataset's chunks.
                DatasetPoints points(*t.data, chunk, phase > 1 ? &enc_ : nullptr, rc_.threads);
                RunControl sub;
                sub.cancel = rc_.cancel;
                sub.threads = rc_.threads;
                for (int j = 0; j < 3; ++j) {
                    cluster::StreamKmeansOptions so;
                    so.kmeans.k = counts[size_t(j)];
                    so.kmeans.max_iters = o_.kmeans_iters;
                    so.kmeans.seed = pseudo_label_seed(po, j);
                    t.labels[size_t(j)] = cluster::kmeans_streamed(points, so, sub).labels;
                }
            }
            if (t.data->stream) t.data->stream->release();  // one dataset's K-means chunk at a time
        }
        return ks;
    }

    // Rows of step b of a dataset of n cells: [begin, end) of its permutation.
    std::pair<int64_t, int64_t> slice(int64_t n, int b) const {
        const int64_t bs = std::max<int64_t>(1, n / batches_);
        const int64_t begin = std::min(n, b * bs), end = std::min(n, begin + bs);
        return {begin, end};
    }

    // One optimisation step on slice b of every dataset's permutation; returns the local summed loss.
    double step(int b) {
        batch_.reset(vocab_);
        int64_t rows = 0, corpus_rows = 0;
        for (int64_t n : corpus_rows_) {
            auto [begin, end] = slice(n, b);
            corpus_rows += end - begin;
        }
        for (auto& t : tasks_) {
            auto [begin, end] = slice(t.data->x.rows, b);
            t.row0 = rows;
            t.rows = end - begin;
            gather(t, begin, end);
            for (int j = 0; j < 3; ++j) {
                auto& bl = t.batch_labels[size_t(j)];
                bl.resize(size_t(t.rows));
                for (int64_t r = 0; r < t.rows; ++r) bl[size_t(r)] = t.labels[size_t(j)][size_t(t.perm[size_t(begin + r)])];
            }
            rows += t.rows;
        }
        if (corpus_rows == 0) return 0.0;
        const nn::Adam adam(adam_options());
        double loss = 0;
        if (rows > 0) {
            batch_.finalize();
            enc_.forward(batch_, h_, rc_.threads);
            nn::sigmoid_inplace(h_);
            dh_.resize(rows, o_.hidden);
            // The heads of each dataset are independent: one thread per dataset, so every sum keeps
            // the same order whatever the thread count.
            parallel_chunks(int64_t(tasks_.size()), rc_.threads, [&](int64_t i0, int64_t i1, int) {
                for (int64_t i = i0; i < i1; ++i) task_step(tasks_[size_t(i)], adam);
            });
            for (auto& t : tasks_) loss += t.loss;
            nn::sigmoid_backward_inplace(h_, dh_);
            enc_.backward(batch_, dh_, grad_, rc_.threads);
        } else {
            grad_.rows.clear();
            grad_.bias.setZero(o_.hidden);
        }
        if (comm_) {
            reduce_and_update(adam);
        } else {
            adam.update_rows(enc_w_, enc_.weight.data(), vocab_, o_.hidden, grad_.rows.data(),
                             int64_t(grad_.rows.size()), grad_.w.data(), o_.encoder_rows, rc_.threads);
            adam.update(enc_b_, enc_.bias.data(), grad_.bias.data(), o_.hidden);
        }
        return loss;
    }

    // Appends positions [begin, end) of t's epoch order to the batch, reading each chunk once an
    // epoch (an epoch's order holds every chunk's cells together).
    void gather(Task& t, int64_t begin, int64_t end) {
        const int64_t n = t.data->x.rows, tc = t.step_chunk;
        for (int64_t p = begin; p < end;) {
            const int64_t c = t.perm[size_t(p)] / tc;
            int64_t q = p;
            while (q < end && t.perm[size_t(q)] / tc == c) ++q;
            if (t.cached != c) {
                t.cache = dataset_rows(*t.data, c * tc, std::min(tc, n - c * tc));
                t.cached = c;
            }
            local_.resize(size_t(q - p));
            for (int64_t i = p; i < q; ++i) local_[size_t(i - p)] = t.perm[size_t(i)] - c * tc;
            batch_.append(t.cache, local_.data(), q - p);
            p = q;
        }
    }

    // The encoder's step over ranks: the summed gradient of the union of touched genes, then the
    // same Adam step on every rank.
    void reduce_and_update(const nn::Adam& adam) {
        const bool cancel = rc_.cancel && rc_.cancel->load(std::memory_order_relaxed);
        if (!sum_.sum(*comm_, grad_, vocab_, o_.hidden, cancel)) throw Cancelled();
        adam.update_rows(enc_w_, enc_.weight.data(), vocab_, o_.hidden, sum_.rows().data(), int64_t(sum_.rows().size()),
                         sum_.row_gradients(), o_.encoder_rows, rc_.threads);
        adam.update(enc_b_, enc_.bias.data(), sum_.bias_gradient(), o_.hidden);
    }

    // Every rank must hold the same encoder; a sum that differed between ranks would split them.
    void check_agreement() {
        const uint64_t h = xxh64(enc_.weight.data(), enc_.weight.size() * sizeof(float));
        const auto all = comm_->allgather(std::to_string(h));
        for (const auto& a : all)
            if (a != all.front()) throw Error("pre-training ranks hold different encoders (the gradient sum differed between ranks)");
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

    // Steps per epoch: batches_per_epoch, or more when the largest shard (every rank's cells
    // gathered) holds over batches_per_epoch x max_step_cells cells. The same on every rank.
    int step_count(const PretrainOptions& o) const {
        int64_t mine = 0;
        for (const auto& t : tasks_) mine += t.data->x.rows;
        int64_t most = mine;
        if (comm_)
            for (const auto& s : comm_->allgather(std::to_string(mine))) most = std::max<int64_t>(most, std::stoll(s));
        int64_t steps = o.batches_per_epoch;
        if (o.max_step_cells > 0) steps = std::max<int64_t>(steps, (most + o.max_step_cells - 1) / o.max_step_cells);
        return int(std::min<int64_t>(steps, 1 << 30));
    }

    std::string make_fingerprint() const {
        char buf[256];
        std::snprintf(buf, sizeof buf, "v1 epochs %d phases %d hidden %d lr %.17g batches %d patience %d kmeans %d seed %llu rows %d; ",
                      o_.max_epochs, o_.phases, o_.hidden, o_.lr, batches_, o_.patience, o_.kmeans_iters,
                      (unsigned long long)o_.seed, int(o_.encoder_rows));
        std::string f = buf;
        f += "rank " + std::to_string(comm_ ? comm_->rank() : 0) + " of " + std::to_string(comm_ ? comm_->size() : 1);
        f += "; vocabulary " + std::to_string(vocab_) + "; corpus";
        for (int64_t n : corpus_rows_) f += " " + std::to_string(n);
        if (o_.chunk_cells > 0) f += "; chunks of " + std::to_string(o_.chunk_cells) + " cells";
        f += "; here";
        for (const auto& t : tasks_) f += " " + std::to_string(t.corpus) + ":" + t.data->name;
        return f;
    }

    PretrainState snapshot(const PretrainResult& res) const {
        PretrainState s;
        s.fingerprint = fingerprint_;
        s.phase = phase_;
        s.epoch = epoch_;
        s.phase_done = phase_done_;
        s.best = best_;
        s.bad = bad_;
        s.epochs_done = epochs_done_;
        s.epoch_seconds = epoch_seconds_;
        s.kmeans_seconds = kmeans_seconds_;
        s.rng = rng_.state();
        s.enc_weight = enc_.weight;
        s.enc_bias = enc_.bias;
        s.enc_w = enc_w_;
        s.enc_b = enc_b_;
        for (const auto& t : tasks_) {
            TaskState ts;
            ts.labels = t.labels;
            for (int j = 0; j < 3; ++j) {
                const Head& h = t.heads[size_t(j)];
                ts.heads[size_t(j)] = head_state(h.lin, h.w, h.b);
            }
            s.tasks.push_back(std::move(ts));
        }
        s.log = res.log;
        s.clusters = res.clusters;
        return s;
    }

    void restore(PretrainState s, PretrainResult& res) {
        if (s.fingerprint != fingerprint_)
            throw InputError("the checkpoint was written by another run (other options, datasets or ranks): it has \"" +
                             s.fingerprint + "\", this run is \"" + fingerprint_ + "\"");
        if (s.enc_weight.size() != enc_.weight.size() || s.enc_bias.size() != enc_.bias.size() ||
            s.tasks.size() != tasks_.size() || s.phase < 1 || s.phase > o_.phases)
            throw InputError("the checkpoint does not match this run's shapes");
        phase_ = s.phase;
        epoch_ = s.epoch;
        phase_done_ = s.phase_done;
        best_ = s.best;
        bad_ = s.bad;
        epochs_done_ = s.epochs_done;
        epoch_seconds_ = s.epoch_seconds;
        kmeans_seconds_ = s.kmeans_seconds;
        rng_ = Rng(s.rng);
        enc_.weight = std::move(s.enc_weight);
        enc_.bias = std::move(s.enc_bias);
        enc_w_ = std::move(s.enc_w);
        enc_b_ = std::move(s.enc_b);
        for (size_t i = 0; i < tasks_.size(); ++i) {
            Task& t = tasks_[i];
            t.labels = std::move(s.tasks[i].labels);
            for (int j = 0; j < 3; ++j) {
                Head& h = t.heads[size_t(j)];
                restore_head(std::move(s.tasks[i].heads[size_t(j)]), h.lin, h.w, h.b);
            }
        }
        res.log = std::move(s.log);
        res.clusters = std::move(s.clusters);
    }

    nn::AdamOptions adam_options() const {
        nn::AdamOptions a;
        a.lr = o_.lr;
        return a;
    }

    void report(int phase, int epoch, double loss, double avg_epoch) const {
        const int total = o_.phases * o_.max_epochs;
        const int done = (phase - 1) * o_.max_epochs + epoch;
        char buf[300];
        if (comm_)
            std::snprintf(buf, sizeof buf,
                          "phase %d epoch %d loss %.4f (up to %s left; %.2f s/epoch, %.0f%% of it in the gradient sum, "
                          "%.1f MB a step)",
                          phase, epoch, loss, duration_text(avg_epoch * (total - done)).c_str(), avg_epoch,
                          epoch_seconds_ > 0 ? 100.0 * sum_.seconds / epoch_seconds_ : 0.0,
                          4e-6 * sum_.floats / (double(epochs_done_) * batches_));
        else
            std::snprintf(buf, sizeof buf, "phase %d epoch %d loss %.4f (up to %s left)", phase, epoch, loss,
                          duration_text(avg_epoch * (total - done)).c_str());
        rc_.report({"pretrain", double(done) / total, buf, loss});
    }

    PretrainOptions o_;
    const RunControl& rc_;
    const PretrainCheckpoint& ckpt_;
    Collective* comm_ = nullptr;
    std::vector<Task> tasks_;
    std::vector<int64_t> corpus_rows_, local_of_, step_chunks_;
    std::vector<int64_t> local_;  // a chunk's rows of a step
    std::string fingerprint_;
    int batches_ = 1;  // steps per epoch (step_count)
    int64_t vocab_ = 0;
    nn::SparseLinear enc_;
    nn::AdamSlot enc_w_, enc_b_;
    nn::SparseBatch batch_;
    nn::SparseGrad grad_;
    Matrix h_, dh_;
    GradientSum sum_;
    // Position of the run (a checkpoint's content besides the weights).
    Rng rng_;
    int phase_ = 1, epoch_ = 0, bad_ = 0, epochs_done_ = 0;
    bool phase_done_ = false;
    double best_ = 0, epoch_seconds_ = 0, kmeans_seconds_ = 0;
};

void validate(const std::vector<PretrainDataset>& ds, const PretrainOptions& o, bool sharded) {
    if (ds.empty() && !sharded) throw InputError("pre-training needs at least one dataset");
    if (o.phases < 1 || o.phases > 2) throw InputError("pre-training phases must be 1 or 2");
    if (o.max_epochs < 1) throw InputError("pre-training needs at least one epoch");
    if (o.chunk_cells < 0) throw InputError("pre-training chunk size (cells) must be 0 (whole datasets) or positive");
    if (o.max_step_cells < 0) throw InputError("pre-training step size (cells) must be 0 (no cap) or positive");
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
    if (!ds.empty() && ds.front().x.cols < 1) throw InputError("the shared vocabulary of the pre-training datasets is empty");
}

}  // namespace

PretrainResult pretrain(const std::vector<PretrainDataset>& datasets, const PretrainOptions& options,
                        const RunControl& control) {
    return pretrain(datasets, options, control, PretrainShard{}, PretrainCheckpoint{});
}

PretrainResult pretrain(const std::vector<PretrainDataset>& datasets, const PretrainOptions& options,
                        const RunControl& control, const PretrainShard& shard, const PretrainCheckpoint& checkpoint) {
    const bool sharded = shard.comm && shard.comm->size() > 1;
    validate(datasets, options, sharded);
    FlushDenormals ftz;
    return Pretrainer(datasets, options, control, shard, checkpoint).run();
}

}  // namespace scpt::train
