#include "core/annotate/marker_genes.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/util/rng.hpp"

namespace scpt::annotate {
namespace {

// cells x genes from a dense table (zeros not stored).
CellMatrix from_dense(const std::vector<std::vector<float>>& rows) {
    CellMatrix m;
    m.n_cells = int64_t(rows.size());
    m.n_genes = rows.empty() ? 0 : int64_t(rows[0].size());
    m.indptr.push_back(0);
    for (const auto& r : rows) {
        for (size_t g = 0; g < r.size(); ++g)
            if (r[g] != 0.f) {
                m.indices.push_back(int32_t(g));
                m.values.push_back(r[g]);
            }
        m.indptr.push_back(int64_t(m.values.size()));
    }
    return m;
}

// 3 types x 20 cells over 6 genes: 0 the same everywhere, 1 high in type 0, 2 high in type 1
// (noisier), 3 noise, 4 expressed in two cells only (a perfect marker of nothing), 5 high in type 2.
struct Toy {
    CellMatrix x;
    std::vector<int32_t> y;
};
Toy toy() {
    Rng rng(7);
    std::vector<std::vector<float>> rows;
    Toy t;
    for (int k = 0; k < 3; ++k)
        for (int i = 0; i < 20; ++i) {
            const float u = float(rng.uniform());
            std::vector<float> r{2.f, k == 0 ? 3.f + u : u * 0.5f, k == 1 ? 2.f + 2 * u : u, 2 * float(rng.uniform()),
                                 (k == 0 && i < 2) ? 5.f : 0.f, k == 2 ? 4.f + u : 0.f};
            rows.push_back(r);
            t.y.push_back(k);
        }
    t.x = from_dense(rows);
    return t;
}

TEST(MarkerGenes, RanksTheGenesThatTellTheTypesApartFirst) {
    const Toy t = toy();
    MarkerGeneOptions o;
    o.genes = 3;
    EXPECT_EQ(select_marker_genes(t.x, t.y, 3, o), (std::vector<int32_t>{1, 2, 5}));
    o.genes = 1;
    const std::vector<int32_t> one = select_marker_genes(t.x, t.y, 3, o);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_TRUE(one[0] == 1 || one[0] == 5);  // the two cleanest markers
}

TEST(MarkerGenes, LeavesOutGenesSeenInTooFewCellsAndCapsAtWhatQualifies) {
    const Toy t = toy();
    MarkerGeneOptions o;
    o.genes = 100;
    const std::vector<int32_t> all = select_marker_genes(t.x, t.y, 3, o);
    // Gene 4 is in 2 cells (< min_cells 3); the rest qualify, ascending.
    EXPECT_EQ(all, (std::vector<int32_t>{0, 1, 2, 3, 5}));
    o.min_cells = 2;
    EXPECT_EQ(select_marker_genes(t.x, t.y, 3, o).size(), 6u);
}

TEST(MarkerGenes, NothingToChooseFromOneTypeOrNoGenesAsked) {
    const Toy t = toy();
    EXPECT_TRUE(select_marker_genes(t.x, std::vector<int32_t>(t.y.size(), 0), 3, {}).empty());
    MarkerGeneOptions o;
    o.genes = 0;
    EXPECT_TRUE(select_marker_genes(t.x, t.y, 3, o).empty());
}

TEST(MarkerGenes, RejectsLabelsThatDoNotFitTheCells) {
    const Toy t = toy();
    EXPECT_THROW(select_marker_genes(t.x, std::vector<int32_t>(3, 0), 3, {}), std::invalid_argument);
    std::vector<int32_t> bad = t.y;
    bad[0] = 3;
    EXPECT_THROW(select_marker_genes(t.x, bad, 3, {}), std::invalid_argument);
}

TEST(MarkerGenes, DenseBlocksHoldTheStoredValuesAndZeros) {
    const CellMatrix x = from_dense({{0, 1, 2}, {3, 0, 0}});
    const nn::Matrix d = dense_columns(x, {2, 0});
    ASSERT_EQ(d.rows(), 2);
    ASSERT_EQ(d.cols(), 2);
    EXPECT_EQ(d(0, 0), 2.f);
    EXPECT_EQ(d(0, 1), 0.f);
    EXPECT_EQ(d(1, 0), 0.f);
    EXPECT_EQ(d(1, 1), 3.f);
    const nn::Matrix all = dense_cells(x);
    EXPECT_EQ(all.cols(), 3);
    EXPECT_EQ(all(0, 1), 1.f);
    EXPECT_EQ(all(1, 2), 0.f);
}

}  // namespace
}  // namespace scpt::annotate
