// A forest of random-projection trees over a set of points: each tree splits the points by
// hyperplanes halfway between two random points until leaves are small. Points in the same leaf
// are likely neighbours; a new point can be routed to its leaf in every tree (used to place cells
// that were not in the sample a map was computed on).
#pragma once
#include <cstdint>
#include <vector>

#include "core/util/rng.hpp"

namespace scpt {

class RpForest {
public:
    // x: n points of d floats, row-major; must outlive the forest.
    RpForest(const float* x, int64_t n, int d, int trees, int leaf_size, uint64_t seed);

    int tree_count() const { return int(trees_.size()); }
    // Leaves of tree t, each a list of point indices; together they partition the points.
    const std::vector<std::vector<int32_t>>& leaves(int t) const { return trees_[size_t(t)].leaves; }
    // The leaf of tree t that point p (d floats) falls into.
    const std::vector<int32_t>& leaf_of(int t, const float* p) const;

private:
    struct Node {
        int32_t left = -1, right = -1;  // children, or -1 for a leaf
        int32_t leaf = -1;              // index into leaves when a leaf
        int64_t normal = -1;            // offset of the hyperplane's normal in `planes`
        float offset = 0;
    };
    struct Tree {
        std::vector<Node> nodes;
        std::vector<float> planes;
        std::vector<std::vector<int32_t>> leaves;
    };
    void build(Tree& tree, std::vector<int32_t> ids, Rng& rng);

    const float* x_;
    int d_;
    int leaf_size_;
    std::vector<Tree> trees_;
};

}  // namespace scpt
