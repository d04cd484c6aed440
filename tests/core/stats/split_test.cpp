// The evaluation split must pick the same cells as ../shared/peers/common.py. Expected values were
// produced by numpy 1.24 (numpy.random.RandomState(seed).permutation(n) and common.split).
#include "core/stats/split.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace scpt {
namespace {

TEST(NumpyPermutation, MatchesNumpyForSmallAndLargeN) {
    EXPECT_EQ(numpy_permutation(10, 0), (std::vector<int64_t>{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}));
    EXPECT_EQ(numpy_permutation(10, 1), (std::vector<int64_t>{2, 9, 6, 4, 0, 3, 1, 7, 8, 5}));
    EXPECT_EQ(numpy_permutation(6, 4294967295u), (std::vector<int64_t>{1, 4, 5, 0, 2, 3}));
    auto p = numpy_permutation(1000, 4);
    EXPECT_EQ(std::vector<int64_t>(p.begin(), p.begin() + 5), (std::vector<int64_t>{698, 577, 763, 790, 520}));
    auto q = numpy_permutation(70000, 3);
    EXPECT_EQ(std::vector<int64_t>(q.begin(), q.begin() + 5), (std::vector<int64_t>{2758, 37134, 29158, 5365, 52942}));
    std::sort(q.begin(), q.end());
    for (int64_t i = 0; i < 70000; ++i) ASSERT_EQ(q[size_t(i)], i);
}

TEST(PaperSplit, SizesAndCellsAsCommonPy) {
    PaperSplit s = paper_split(2170, 2);
    EXPECT_EQ(s.train, 1000);
    EXPECT_EQ(s.val, 217);
    ASSERT_EQ(s.reference.size(), 1217u);
    ASSERT_EQ(s.test.size(), 953u);
    EXPECT_EQ(std::vector<int64_t>(s.reference.begin(), s.reference.begin() + 3), (std::vector<int64_t>{944, 2037, 515}));
    EXPECT_EQ(std::vector<int64_t>(s.test.begin(), s.test.begin() + 3), (std::vector<int64_t>{618, 148, 397}));
    PaperSplit t = paper_split(7, 0);
    EXPECT_EQ(t.reference, (std::vector<int64_t>{6, 2, 1, 3}));
    EXPECT_EQ(t.test, (std::vector<int64_t>{0, 5, 4}));
    PaperSplit big = paper_split(76533, 0);
    EXPECT_EQ(big.reference.size(), 2000u);  // both parts capped at 1000
}

}  // namespace
}  // namespace scpt
