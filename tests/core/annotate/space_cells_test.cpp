#include "core/annotate/space_cells.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/annotate/gene_space.hpp"
#include "core/data/value_kind.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {
namespace {

CellMatrix small(const std::vector<std::string>& genes, const std::vector<std::vector<std::pair<int32_t, float>>>& cells) {
    CellMatrix m;
    m.n_genes = int64_t(genes.size());
    m.gene_symbols = m.gene_ids = genes;
    m.indptr.push_back(0);
    for (size_t c = 0; c < cells.size(); ++c) {
        for (auto& [g, v] : cells[c]) m.indices.push_back(g), m.values.push_back(v);
        m.indptr.push_back(int64_t(m.values.size()));
        m.barcodes.push_back("c" + std::to_string(c));
    }
    m.n_cells = int64_t(cells.size());
    return m;
}

TEST(SpaceCells, TransformsWholeRowsThenMovesAndSortsColumns) {
    const CellMatrix m = small({"A", "B", "C", "D"}, {{{0, 1}, {1, 3}, {3, 6}}, {{2, 10}}});
    ValueSummary v;
    v.kind = ValueKind::RawCounts;
    const CellTransform t = plan_transform(v, Transform::CountsPer10kLog1p, {}, nullptr);
    // D -> 0, A -> 2, B dropped, C -> 1: the cell total still counts B (library size of the cell).
    const std::vector<int32_t> column{2, -1, 1, 0};
    const int64_t rows[] = {0, 1};
    const CellMatrix s = space_rows(m, rows, 2, column, 3, t);
    ASSERT_EQ(s.n_cells, 2);
    EXPECT_EQ(s.n_genes, 3);
    EXPECT_EQ(s.indices, (std::vector<int32_t>{0, 2, 1}));
    EXPECT_NEAR(s.values[0], std::log1p(1e4 * 6 / 10), 1e-4);
    EXPECT_NEAR(s.values[1], std::log1p(1e4 * 1 / 10), 1e-4);
    EXPECT_NEAR(s.values[2], std::log1p(1e4), 1e-3);
    EXPECT_EQ(space_range(m, 1, 2, column, 3, t).indices, (std::vector<int32_t>{1}));
}

// Only the kept genes are transformed (the cell's factor still counts all of them): the values
// must be exactly apply()'s on the whole row, for un-logged values too.
TEST(SpaceCells, KeptValuesEqualTheWholeRowTransformExactly) {
    const CellMatrix m = small({"A", "B", "C", "D", "E"}, {{{0, 1.5f}, {1, 0.25f}, {3, 3.75f}, {4, 2}}, {{2, 7.f}, {4, 0.5f}}});
    ValueSummary v;
    v.kind = ValueKind::LogNormalized;
    v.log_base = 2;
    const CellTransform t = plan_transform(v, Transform::CountsPer10kLog1p, {}, nullptr);
    const std::vector<int32_t> column{0, -1, 1, 2, -1};
    const int64_t rows[] = {0, 1};
    const CellMatrix s = space_rows(m, rows, 2, column, 3, t);
    for (int64_t c = 0; c < 2; ++c) {
        std::vector<float> row(m.values.begin() + m.indptr[size_t(c)], m.values.begin() + m.indptr[size_t(c) + 1]);
        t.apply(row.data(), row.size());
        std::vector<float> kept;
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k)
            if (column[size_t(m.indices[size_t(k)])] >= 0) kept.push_back(row[size_t(k - m.indptr[size_t(c)])]);
        EXPECT_EQ(std::vector<float>(s.values.begin() + s.indptr[size_t(c)], s.values.begin() + s.indptr[size_t(c) + 1]), kept);
    }
}

TEST(GeneSpace, KeepsTheReferenceGenesTheQueryHasAndTiesThemToTheModel) {
    // Reference: 80 genes. Query: the even ones among the first 60 (30 shared), lower-cased and
    // reversed, plus 30 of its own. (match_genes wants min(50, vocabulary) matches: 60 here.)
    std::vector<std::string> rg, qg;
    for (int i = 0; i < 80; ++i) rg.push_back("TMEM" + std::to_string(i));
    for (int i = 58; i >= 0; i -= 2) qg.push_back("tmem" + std::to_string(i));
    for (int i = 0; i < 30; ++i) qg.push_back("OTHER" + std::to_string(i));
    const CellMatrix ref = small(rg, {{{0, 1}}}), qry = small(qg, {{{0, 1}}});
    GeneSpaceOptions o;
    EXPECT_THROW(build_gene_space(ref, &qry, nullptr, o), InputError);  // 30 shared: too few for a classifier
    std::vector<std::string> qg2 = qg;
    for (int i = 0; i < 30; ++i) qg2[size_t(30 + i)] = "tmem" + std::to_string(2 * i + 1);  // odd ones: 60 shared
    const CellMatrix qry2 = small(qg2, {{{0, 1}}});
    const GeneSpace s = build_gene_space(ref, &qry2, nullptr, o);
    EXPECT_EQ(s.size, 60);
    for (int g = 0; g < 80; ++g) EXPECT_EQ(s.reference_column[size_t(g)], g < 60 ? g : -1) << g;
    const SpaceColumns q = align_to_space(s, ref, qry2, o, "q");
    EXPECT_EQ(q.matched, 60);
    EXPECT_EQ(q.column[0], 58);  // "tmem58"
    EXPECT_EQ(q.column[30], 1);  // "tmem1"
    o.shared_only = false;
    const GeneSpace all = build_gene_space(ref, &qry2, nullptr, o);
    EXPECT_EQ(all.size, 80);
    EXPECT_TRUE(align_to_space(all, ref, ref, o, "ref").same_genes);
}

}  // namespace
}  // namespace scpt::annotate
