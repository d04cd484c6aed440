#include "core/train/collective.hpp"

#include <algorithm>
#include <numeric>

#include "core/util/error.hpp"

namespace scpt::train {

std::string pack_strings(const std::vector<std::string>& fields) {
    std::string out;
    for (const auto& f : fields) out += std::to_string(f.size()) + ":" + f;
    return out;
}

std::vector<std::string> unpack_strings(const std::string& packed) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < packed.size()) {
        const size_t colon = packed.find(':', pos);
        if (colon == std::string::npos || colon == pos || colon - pos > 19) throw InputError("unpack_strings: malformed pack");
        const unsigned long long n = std::stoull(packed.substr(pos, colon - pos));
        if (n > packed.size() - colon - 1) throw InputError("unpack_strings: truncated pack");
        out.push_back(packed.substr(colon + 1, size_t(n)));
        pos = colon + 1 + size_t(n);
    }
    return out;
}

std::vector<int> balance_datasets(const std::vector<int64_t>& load_of, int ranks) {
    if (ranks < 1) throw InputError("balance_datasets: ranks must be at least 1, got " + std::to_string(ranks));
    for (int64_t c : load_of)
        if (c < 0) throw InputError("balance_datasets: a dataset has a negative load");
    std::vector<size_t> order(load_of.size());
    std::iota(order.begin(), order.end(), size_t(0));
    // Largest first; equal sizes keep the corpus order, so the assignment is deterministic.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return load_of[a] > load_of[b]; });
    std::vector<int64_t> load(size_t(ranks), 0);
    std::vector<int> owner(load_of.size(), 0);
    for (size_t i : order) {
        const int r = int(std::min_element(load.begin(), load.end()) - load.begin());  // first least-loaded
        owner[i] = r;
        load[size_t(r)] += load_of[i];
    }
    return owner;
}

}  // namespace scpt::train
