#include "core/layout/rp_forest.hpp"

#include <utility>

namespace scpt {

RpForest::RpForest(const float* x, int64_t n, int d, int trees, int leaf_size, uint64_t seed)
    : x_(x), d_(d), leaf_size_(std::max(2, leaf_size)) {
    Rng rng(seed);
    std::vector<int32_t> all(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) all[size_t(i)] = int32_t(i);
    trees_.resize(size_t(std::max(1, trees)));
    for (size_t t = 0; t < trees_.size(); ++t) {
        Rng tree_rng = rng.split(t);
        build(trees_[t], all, tree_rng);
    }
}

void RpForest::build(Tree& tree, std::vector<int32_t> ids, Rng& rng) {
    // Iterative build: (node index, its points).
    std::vector<std::pair<int32_t, std::vector<int32_t>>> stack;
    tree.nodes.emplace_back();
    stack.emplace_back(0, std::move(ids));
    std::vector<float> normal(static_cast<size_t>(d_));
    while (!stack.empty()) {
        auto [node, cur] = std::move(stack.back());
        stack.pop_back();
        if (int(cur.size()) <= leaf_size_) {
            tree.nodes[size_t(node)].leaf = int32_t(tree.leaves.size());
            tree.leaves.push_back(std::move(cur));
            continue;
        }
        int32_t a = cur[rng.below(cur.size())], b = cur[rng.below(cur.size())];
        for (int t = 0; t < 4 && a == b; ++t) b = cur[rng.below(cur.size())];
        const float* pa = x_ + int64_t(a) * d_;
        const float* pb = x_ + int64_t(b) * d_;
        float offset = 0;
        for (int i = 0; i < d_; ++i) {
            normal[size_t(i)] = pa[i] - pb[i];
            offset += normal[size_t(i)] * 0.5f * (pa[i] + pb[i]);
        }
        std::vector<int32_t> left, right;
        for (int32_t p : cur) {
            const float* pp = x_ + int64_t(p) * d_;
            float s = -offset;
            for (int i = 0; i < d_; ++i) s += normal[size_t(i)] * pp[i];
            (s > 0 ? left : right).push_back(p);
        }
        int64_t plane = -1;
        if (left.empty() || right.empty()) {  // identical points: split in halves, route queries left
            rng.shuffle(cur);
            left.assign(cur.begin(), cur.begin() + long(cur.size() / 2));
            right.assign(cur.begin() + long(cur.size() / 2), cur.end());
        } else {
            plane = int64_t(tree.planes.size());
            tree.planes.insert(tree.planes.end(), normal.begin(), normal.end());
        }
        int32_t l = int32_t(tree.nodes.size()), r = l + 1;
        tree.nodes.emplace_back();
        tree.nodes.emplace_back();
        Node& nd = tree.nodes[size_t(node)];
        nd.left = l;
        nd.right = r;
        nd.normal = plane;
        nd.offset = offset;
        stack.emplace_back(r, std::move(right));
        stack.emplace_back(l, std::move(left));
    }
}

const std::vector<int32_t>& RpForest::leaf_of(int t, const float* p) const {
    const Tree& tree = trees_[size_t(t)];
    int32_t at = 0;
    while (tree.nodes[size_t(at)].leaf < 0) {
        const Node& nd = tree.nodes[size_t(at)];
        if (nd.normal < 0) {
            at = nd.left;
            continue;
        }
        const float* w = &tree.planes[size_t(nd.normal)];
        float s = -nd.offset;
        for (int i = 0; i < d_; ++i) s += w[i] * p[i];
        at = s > 0 ? nd.left : nd.right;
    }
    return tree.leaves[size_t(tree.nodes[size_t(at)].leaf)];
}

}  // namespace scpt
