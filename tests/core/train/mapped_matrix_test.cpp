#include "core/train/mapped_matrix.hpp"

#include <gtest/gtest.h>

namespace scpt::train {
namespace {

TEST(MapColumns, MovesDropsSortsAndSumsColumns) {
    CsrBuilder b(2, 4);
    b.add(0, 0, 1.f);
    b.add(0, 1, 2.f);
    b.add(0, 3, 3.f);
    b.add(1, 2, 4.f);
    b.add(1, 3, 5.f);
    CellMatrix m;
    b.finish(m);
    // gene 0 -> 5, gene 1 -> dropped, gene 2 -> 5 (summed with gene 0 where both occur), gene 3 -> 1
    auto r = map_columns(m, {5, -1, 5, 1}, 6);
    EXPECT_EQ(r.rows, 2);
    EXPECT_EQ(r.cols, 6);
    EXPECT_EQ(r.indptr, (std::vector<int64_t>{0, 2, 4}));
    EXPECT_EQ(r.indices, (std::vector<int32_t>{1, 5, 1, 5}));
    EXPECT_EQ(r.values, (std::vector<float>{3.f, 1.f, 5.f, 4.f}));
    CsrBuilder b2(1, 2);
    b2.add(0, 0, 1.f);
    b2.add(0, 1, 2.f);
    CellMatrix m2;
    b2.finish(m2);
    auto s = map_columns(m2, {3, 3}, 4);
    EXPECT_EQ(s.indices, (std::vector<int32_t>{3}));
    EXPECT_EQ(s.values, (std::vector<float>{3.f}));
    EXPECT_THROW(map_columns(m2, {0}, 4), std::invalid_argument);
}

}  // namespace
}  // namespace scpt::train
