#include "core/train/finetune.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/nn/activation.hpp"
#include "core/nn/adam.hpp"
#include "core/nn/softmax_xent.hpp"
#include "core/util/denormals.hpp"
#include "core/util/error.hpp"
#include "core/util/rng.hpp"

namespace scpt::train {
namespace {

using nn::Matrix;

enum : uint64_t { kSplitStream = 1, kEncoderStream = 2, kHeadStream = 3 };

struct Split {
    std::vector<int64_t> train, val;
};

// peers.py: perm = permutation of the labelled cells; nva = max(1, round(n / 7)) below 2000
// cells, else n - 1000; val = perm[:nva], train = perm[nva:]. Validation is capped at max_val.
Split split_cells(const std::vector<int32_t>& labels, const FinetuneOptions& o) {
    std::vector<int64_t> cells;
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0) cells.push_back(int64_t(i));
    Rng rng = Rng(o.seed).split(kSplitStream);
    rng.shuffle(cells);
    const int64_t n = int64_t(cells.size());
    int64_t nva = std::max<int64_t>(1, std::llround(double(n) * o.val_fraction));
    if (n >= 2 * o.max_train) nva = n - o.max_train;
    nva = std::min(nva, n - 1);
    // A type whose cells all fell into validation could never be learnt (a type of one cell
    // does it 1 time in 7): its first validation cell swaps with the last training cell of a
    // type that keeps others, so every type has a training cell when the labels allow it.
    std::vector<int64_t> in_train(labels.size() ? size_t(*std::max_element(labels.begin(), labels.end())) + 1 : 0, 0);
    for (int64_t i = nva; i < n; ++i) ++in_train[size_t(labels[size_t(cells[size_t(i)])])];
    for (int64_t v = 0; v < nva; ++v) {
        const int32_t c = labels[size_t(cells[size_t(v)])];
        if (in_train[size_t(c)] > 0) continue;
        for (int64_t t = n - 1; t >= nva; --t) {
            const int32_t d = labels[size_t(cells[size_t(t)])];
            if (in_train[size_t(d)] < 2) continue;
            std::swap(cells[size_t(v)], cells[size_t(t)]);
            --in_train[size_t(d)];
            ++in_train[size_t(c)];
            break;
        }
    }
    Split s;
    s.val.assign(cells.begin(), cells.begin() + std::min(nva, o.max_val));
    s.train.assign(cells.begin() + nva, cells.end());
    return s;
}

// Inverse class frequency over the training cells, normalised so that the weights of a
// balanced set are all 1; classes without training cells get 0.
std::vector<float> balanced_weights(const std::vector<int32_t>& y, int n_classes) {
    std::vector<int64_t> count(size_t(n_classes), 0);
    for (int32_t c : y) ++count[size_t(c)];
    int64_t present = 0;
    for (int64_t c : count) present += c > 0;
    std::vector<float> w(size_t(n_classes), 0.f);
    for (int c = 0; c < n_classes; ++c)
        if (count[size_t(c)] > 0) w[size_t(c)] = float(double(y.size()) / double(present * count[size_t(c)]));
    return w;
}

double accuracy(const Matrix& logits, const std::vector<int32_t>& y) {
    if (y.empty()) return 0;
    auto pred = argmax_rows(logits);
    int64_t ok = 0;
    for (size_t i = 0; i < y.size(); ++i) ok += pred[i] == y[i];
    return double(ok) / double(y.size());
}

struct Snapshot {
    std::vector<float> enc_rows, enc_bias;
    nn::Linear fc1, fc2;
};

class Trainer {
public:
    Trainer(Classifier& clf, const FinetuneOptions& o, const RunControl& rc) : c_(clf), o_(o), rc_(rc) {}

    // Trains on precomputed representations (frozen encoder) when htr/hva are given, else
    // through the encoder on the sparse batches.
    void run(const nn::SparseBatch* tb, const nn::SparseBatch* vb, const Matrix* htr, const Matrix* hva,
             const std::vector<int32_t>& ytr, const std::vector<int32_t>& yva, int n_classes, FinetuneResult& res) {
        const bool frozen = htr != nullptr;
        const nn::AdamOptions ao{o_.lr, 0.9, 0.999, 1e-8};
        const nn::Adam adam(ao);
        nn::AdamSlot s_ew, s_eb, s_w1, s_b1, s_w2, s_b2;
        std::vector<float> weights;
        const bool balanced = o_.class_weights == ClassWeights::Balanced ||
                              (o_.class_weights == ClassWeights::Auto && !frozen);
        if (balanced) weights = balanced_weights(ytr, n_classes);
        const float* cw = balanced ? weights.data() : nullptr;

        Matrix h0, a1, out, d_out, d_a1, d_h0, hv;
        nn::LinearGrad g1, g2;
        nn::SparseGrad ge;
        Snapshot best;
        double best_acc = -1, best_loss = 1e300;
        const bool by_loss = o_.stop_on == EarlyStop::ValidationLoss;
        Matrix d_val;
        int bad = 0;
        for (int epoch = 1; epoch <= o_.max_epochs; ++epoch) {
            rc_.check_cancel();
            const Matrix* h = htr;
            if (!frozen) {
                c_.encoder.forward(*tb, h0, rc_.threads);
                nn::sigmoid_inplace(h0);
                h = &h0;
            }
            c_.fc1.forward(*h, a1);
            nn::sigmoid_inplace(a1);
            c_.fc2.forward(a1, out);
            const double train_acc = accuracy(out, ytr);  // the forward pass the step learns from: free
            double loss = nn::softmax_cross_entropy(out, ytr.data(), d_out, cw);
            c_.fc2.backward(a1, d_out, g2, &d_a1);
            nn::sigmoid_backward_inplace(a1, d_a1);
            c_.fc1.backward(*h, d_a1, g1, frozen ? nullptr : &d_h0);
            if (!frozen) {
                nn::sigmoid_backward_inplace(h0, d_h0);
                c_.encoder.backward(*tb, d_h0, ge, rc_.threads);
                // Full batch: the same rows have a gradient at every step, and the others never
                // do, so stepping only touched rows is exactly PyTorch's dense Adam here.
                adam.update_rows(s_ew, c_.encoder.weight.data(), c_.encoder.in, c_.encoder.out, ge.rows.data(),
                                 int64_t(ge.rows.size()), ge.w.data(), nn::RowUpdate::Touched, rc_.threads);
                adam.update(s_eb, c_.encoder.bias.data(), ge.bias.data(), c_.encoder.out);
            }
            adam.update(s_w1, c_.fc1.weight.data(), g1.w.data(), c_.fc1.weight.size());
            adam.update(s_b1, c_.fc1.bias.data(), g1.b.data(), c_.fc1.bias.size());
            adam.update(s_w2, c_.fc2.weight.data(), g2.w.data(), c_.fc2.weight.size());
            adam.update(s_b2, c_.fc2.bias.data(), g2.b.data(), c_.fc2.bias.size());

            if (!frozen) {
                c_.encoder.forward(*vb, hv, rc_.threads);
                nn::sigmoid_inplace(hv);
            }
            const Matrix vlogits = c_.head_logits(frozen ? *hva : hv);
            const double acc = accuracy(vlogits, yva);
            double vloss = 0;
            if (by_loss) vloss = yva.empty() ? 0 : nn::softmax_cross_entropy(vlogits, yva.data(), d_val);
            res.log.push_back({epoch, loss, train_acc, acc, vloss});
            if (by_loss ? vloss < best_loss : acc > best_acc) {
                best_acc = acc;
                best_loss = vloss;
                res.best_epoch = epoch;
                bad = 0;
                save(best, tb);
            } else {
                ++bad;
            }
            char buf[160];
            std::snprintf(buf, sizeof buf, "epoch %d loss %.4f val acc %.4f (best %.4f at epoch %d)", epoch, loss, acc,
                          best_acc, res.best_epoch);
            rc_.report({"finetune", double(epoch) / o_.max_epochs, buf, acc});
            if (o_.on_epoch) o_.on_epoch(res.log.back());
            if (bad >= o_.patience) break;
        }
        restore(best, tb);
        res.best_val_accuracy = best_acc;
    }

private:
    // Only rows of genes seen in training cells ever change; the snapshot keeps those.
    void save(Snapshot& s, const nn::SparseBatch* tb) const {
        s.fc1 = c_.fc1;
        s.fc2 = c_.fc2;
        if (!tb) return;
        const int64_t h = c_.encoder.out;
        s.enc_rows.resize(tb->genes().size() * size_t(h));
        for (size_t j = 0; j < tb->genes().size(); ++j)
            std::copy_n(c_.encoder.row(tb->genes()[j]), h, s.enc_rows.data() + j * size_t(h));
        s.enc_bias = c_.encoder.bias;
    }
    void restore(const Snapshot& s, const nn::SparseBatch* tb) {
        c_.fc1 = s.fc1;
        c_.fc2 = s.fc2;
        if (!tb || s.enc_bias.empty()) return;
        const int64_t h = c_.encoder.out;
        for (size_t j = 0; j < tb->genes().size(); ++j)
            std::copy_n(s.enc_rows.data() + j * size_t(h), h, c_.encoder.row(tb->genes()[j]));
        c_.encoder.bias = s.enc_bias;
    }

    Classifier& c_;
    const FinetuneOptions& o_;
    const RunControl& rc_;
};

void check_common(int64_t cells, const std::vector<int32_t>& labels, int n_classes, const FinetuneOptions& o) {
    if (int64_t(labels.size()) != cells)
        throw std::invalid_argument("finetune: " + std::to_string(labels.size()) + " labels for " +
                                    std::to_string(cells) + " cells");
    int64_t labelled = 0;
    for (int32_t l : labels) {
        if (l >= n_classes) throw std::invalid_argument("finetune: a label is out of range");
        labelled += l >= 0;
    }
    if (n_classes < 2) throw InputError("fine-tuning needs labelled cells of at least two cell types");
    if (labelled < 2) throw InputError("fine-tuning needs at least two labelled cells");
    if (o.max_epochs < 1 || o.patience < 1 || o.hidden1 < 1 || o.hidden < 1 || !(o.lr > 0) ||
        !(o.val_fraction > 0 && o.val_fraction < 1) || o.max_train < 1 || o.max_val < 1)
        throw InputError("fine-tuning options out of range");
}

std::vector<int32_t> gather(const std::vector<int32_t>& labels, const std::vector<int64_t>& cells) {
    std::vector<int32_t> y;
    for (int64_t c : cells) y.push_back(labels[size_t(c)]);
    return y;
}

}  // namespace

LabelledSplit split_labelled(const std::vector<int32_t>& labels, const FinetuneOptions& options) {
    Split s = split_cells(labels, options);
    return {std::move(s.train), std::move(s.val)};
}

FinetuneResult finetune(const nn::CsrRef& x, const std::vector<int32_t>& labels, int n_classes,
                        const EncoderInit& init, const FinetuneOptions& options, const RunControl& control) {
    check_common(x.rows, labels, n_classes, options);
    FlushDenormals ftz;
    const int64_t genes = x.cols;
    const bool scratch = options.mode == FinetuneMode::Scratch;
    if (!scratch) {
        if (!init.weights || init.weights->dtype != DType::F32 || init.weights->f32.empty())
            throw std::invalid_argument("finetune: the pre-trained encoder must be given as F32 weights");
        if (int64_t(init.gene_to_row.size()) != genes)
            throw std::invalid_argument("finetune: the gene map must have one entry per gene of the dataset");
    }
    FinetuneResult res;
    Classifier& clf = res.classifier;
    const int64_t hidden = scratch ? options.hidden : init.weights->hidden;
    Rng enc_rng = Rng(options.seed).split(kEncoderStream);
    if (options.mode == FinetuneMode::Head) {
        clf.encoder.in = genes;
        clf.encoder.out = hidden;
        clf.encoder.weight.assign(size_t(genes * hidden), 0.f);  // unknown genes contribute nothing
        clf.encoder.bias = init.weights->bias;
    } else {
        clf.encoder.init(genes, hidden, enc_rng);  // unknown genes keep PyTorch's init
        if (!scratch) clf.encoder.bias = init.weights->bias;
    }
    if (!scratch)
        for (int64_t g = 0; g < genes; ++g) {
            const int64_t r = init.gene_to_row[size_t(g)];
            if (r < 0) continue;
            if (r >= init.weights->genes) throw std::invalid_argument("finetune: gene map points outside the encoder");
            std::copy_n(init.weights->f32.data() + r * hidden, hidden, clf.encoder.row(g));
        }
    Rng head_rng = Rng(options.seed).split(kHeadStream);
    clf.fc1.init(hidden, options.hidden1, head_rng);
    clf.fc2.init(options.hidden1, n_classes, head_rng);

    Split split = split_cells(labels, options);
    nn::SparseBatch tb, vb;
    tb.reset(genes);
    tb.append(x, split.train.data(), int64_t(split.train.size()));
    tb.finalize();
    vb.reset(genes);
    vb.append(x, split.val.data(), int64_t(split.val.size()));
    vb.finalize();
    const auto ytr = gather(labels, split.train), yva = gather(labels, split.val);
    Trainer trainer(clf, options, control);
    if (options.mode == FinetuneMode::Head) {
        nn::Matrix htr, hva;
        clf.encoder.forward(tb, htr, control.threads);
        nn::sigmoid_inplace(htr);
        clf.encoder.forward(vb, hva, control.threads);
        nn::sigmoid_inplace(hva);
        trainer.run(nullptr, nullptr, &htr, &hva, ytr, yva, n_classes, res);
    } else {
        trainer.run(&tb, &vb, nullptr, nullptr, ytr, yva, n_classes, res);
    }
    res.train_cells = std::move(split.train);
    res.val_cells = std::move(split.val);
    return res;
}

FinetuneResult finetune_head(const nn::Matrix& h, const std::vector<int32_t>& labels, int n_classes,
                             const FinetuneOptions& options, const RunControl& control) {
    check_common(h.rows(), labels, n_classes, options);
    FlushDenormals ftz;
    FinetuneResult res;
    Classifier& clf = res.classifier;
    clf.encoder.in = 0;
    clf.encoder.out = h.cols();
    Rng head_rng = Rng(options.seed).split(kHeadStream);
    clf.fc1.init(h.cols(), options.hidden1, head_rng);
    clf.fc2.init(options.hidden1, n_classes, head_rng);
    Split split = split_cells(labels, options);
    nn::Matrix htr(int64_t(split.train.size()), h.cols()), hva(int64_t(split.val.size()), h.cols());
    for (size_t i = 0; i < split.train.size(); ++i) htr.row(int64_t(i)) = h.row(split.train[i]);
    for (size_t i = 0; i < split.val.size(); ++i) hva.row(int64_t(i)) = h.row(split.val[i]);
    Trainer trainer(clf, options, control);
    trainer.run(nullptr, nullptr, &htr, &hva, gather(labels, split.train), gather(labels, split.val), n_classes, res);
    res.train_cells = std::move(split.train);
    res.val_cells = std::move(split.val);
    return res;
}

}  // namespace scpt::train
