#include "core/train/pretrain_state.hpp"

#include <cstring>
#include <type_traits>

#include "core/util/error.hpp"
#include "core/util/xxh64.hpp"

namespace scpt::train {
namespace {

// "SCPTCKP1", then the fields in declaration order (little-endian, as the machines that write and
// read a checkpoint are the same), then the XXH64 of everything before it.
constexpr char kMagic[8] = {'S', 'C', 'P', 'T', 'C', 'K', 'P', '1'};

class Writer {
public:
    template <class T>
    void pod(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        out.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    template <class T>
    void vec(const std::vector<T>& v) {
        pod(uint64_t(v.size()));
        out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
    void str(const std::string& s) {
        pod(uint64_t(s.size()));
        out += s;
    }
    void slot(const nn::AdamSlot& s) {
        vec(s.m);
        vec(s.v);
        pod(s.step);
    }
    std::string out;
};

class Reader {
public:
    Reader(const std::string& b, size_t end, const std::string& what) : b_(b), end_(end), what_(what) {}
    template <class T>
    void pod(T& v) {
        need(sizeof v);
        std::memcpy(&v, b_.data() + pos_, sizeof v);
        pos_ += sizeof v;
    }
    template <class T>
    void vec(std::vector<T>& v) {
        uint64_t n = 0;
        pod(n);
        if (n > (end_ - pos_) / sizeof(T)) fail();
        v.resize(size_t(n));
        std::memcpy(v.data(), b_.data() + pos_, size_t(n) * sizeof(T));
        pos_ += size_t(n) * sizeof(T);
    }
    void str(std::string& s) {
        uint64_t n = 0;
        pod(n);
        if (n > end_ - pos_) fail();
        s.assign(b_.data() + pos_, size_t(n));
        pos_ += size_t(n);
    }
    void slot(nn::AdamSlot& s) {
        vec(s.m);
        vec(s.v);
        pod(s.step);
    }
    bool at_end() const { return pos_ == end_; }
    [[noreturn]] void fail() const { throw input_error(what_, "is not a complete pre-training checkpoint"); }

private:
    void need(size_t n) const {
        if (n > end_ - pos_) fail();
    }
    const std::string& b_;
    size_t pos_ = sizeof kMagic, end_;
    const std::string& what_;
};

}  // namespace

HeadState head_state(const nn::Linear& head, const nn::AdamSlot& w, const nn::AdamSlot& b) {
    HeadState s;
    s.out = head.weight.rows();
    s.in = head.weight.cols();
    s.weight.assign(head.weight.data(), head.weight.data() + head.weight.size());
    s.bias.assign(head.bias.data(), head.bias.data() + head.bias.size());
    s.w = w;
    s.b = b;
    return s;
}

void restore_head(HeadState s, nn::Linear& head, nn::AdamSlot& w, nn::AdamSlot& b) {
    if (s.out < 0 || s.in < 0 || s.weight.size() != size_t(s.out * s.in) || s.bias.size() != size_t(s.out))
        throw InputError("the checkpoint's heads are damaged");
    head.weight = Eigen::Map<const nn::Matrix>(s.weight.data(), s.out, s.in);
    head.bias = Eigen::Map<const nn::Vector>(s.bias.data(), s.out);
    w = std::move(s.w);
    b = std::move(s.b);
}

std::string encode_state(const PretrainState& s) {
    Writer w;
    w.out.append(kMagic, sizeof kMagic);
    w.str(s.fingerprint);
    w.pod(s.phase);
    w.pod(s.epoch);
    w.pod(uint8_t(s.phase_done));
    w.pod(s.best);
    w.pod(s.bad);
    w.pod(s.epochs_done);
    w.pod(s.epoch_seconds);
    w.pod(s.kmeans_seconds);
    w.pod(s.rng);
    w.vec(s.enc_weight);
    w.vec(s.enc_bias);
    w.slot(s.enc_w);
    w.slot(s.enc_b);
    w.pod(uint64_t(s.tasks.size()));
    for (const auto& t : s.tasks) {
        for (const auto& l : t.labels) w.vec(l);
        for (const auto& h : t.heads) {
            w.pod(h.out);
            w.pod(h.in);
            w.vec(h.weight);
            w.vec(h.bias);
            w.slot(h.w);
            w.slot(h.b);
        }
    }
    w.vec(s.log);
    w.pod(uint64_t(s.clusters.size()));
    for (const auto& c : s.clusters) w.vec(c);
    w.pod(xxh64(w.out));
    return std::move(w.out);
}

PretrainState decode_state(const std::string& bytes, const std::string& what) {
    if (bytes.size() < sizeof kMagic + 8 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw input_error(what, "is not a pre-training checkpoint of this version");
    const size_t end = bytes.size() - 8;
    uint64_t sum = 0;
    std::memcpy(&sum, bytes.data() + end, 8);
    if (sum != xxh64(bytes.data(), end)) throw input_error(what, "is damaged (checksum mismatch)");
    Reader r(bytes, end, what);
    PretrainState s;
    r.str(s.fingerprint);
    r.pod(s.phase);
    r.pod(s.epoch);
    uint8_t done = 0;
    r.pod(done);
    s.phase_done = done != 0;
    r.pod(s.best);
    r.pod(s.bad);
    r.pod(s.epochs_done);
    r.pod(s.epoch_seconds);
    r.pod(s.kmeans_seconds);
    r.pod(s.rng);
    r.vec(s.enc_weight);
    r.vec(s.enc_bias);
    r.slot(s.enc_w);
    r.slot(s.enc_b);
    uint64_t n = 0;
    r.pod(n);
    if (n > end) r.fail();
    s.tasks.resize(size_t(n));
    for (auto& t : s.tasks) {
        for (auto& l : t.labels) r.vec(l);
        for (auto& h : t.heads) {
            r.pod(h.out);
            r.pod(h.in);
            r.vec(h.weight);
            r.vec(h.bias);
            r.slot(h.w);
            r.slot(h.b);
        }
    }
    r.vec(s.log);
    r.pod(n);
    if (n > end) r.fail();
    s.clusters.resize(size_t(n));
    for (auto& c : s.clusters) r.vec(c);
    if (!r.at_end()) r.fail();
    return s;
}

}  // namespace scpt::train
