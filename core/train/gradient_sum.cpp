#include "core/train/gradient_sum.hpp"

#include <algorithm>
#include <chrono>

namespace scpt::train {

bool GradientSum::sum(Collective& comm, const nn::SparseGrad& local, int64_t V, int64_t H, bool cancel) {
    const auto t0 = std::chrono::steady_clock::now();
    hidden_ = H;
    flags_.assign(size_t(V + 1), 0.0f);
    for (int32_t g : local.rows) flags_[size_t(g)] = 1.0f;
    flags_.back() = cancel ? 1.0f : 0.0f;
    comm.sum(flags_.data(), int64_t(flags_.size()));  // small integers: exact in float
    if (flags_.back() > 0) return false;
    rows_.clear();
    slot_.assign(size_t(V), -1);
    for (int64_t g = 0; g < V; ++g)
        if (flags_[size_t(g)] > 0) {
            slot_[size_t(g)] = int64_t(rows_.size());
            rows_.push_back(int32_t(g));
        }
    const int64_t U = int64_t(rows_.size());
    packed_.assign(size_t(U * H + H), 0.0f);
    for (size_t k = 0; k < local.rows.size(); ++k)
        std::copy_n(local.w.data() + int64_t(k) * H, H, packed_.data() + slot_[size_t(local.rows[k])] * H);
    if (local.bias.size() == H) std::copy_n(local.bias.data(), H, packed_.data() + U * H);
    comm.sum(packed_.data(), int64_t(packed_.size()));
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    floats += double(packed_.size() + flags_.size());
    return true;
}

}  // namespace scpt::train
