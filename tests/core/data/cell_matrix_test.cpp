#include "core/data/cell_matrix.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.hpp"

namespace scpt {
namespace {

CellMatrix build(int64_t cells, int64_t genes, std::initializer_list<std::tuple<int, int, float>> entries,
                 int64_t* duplicates = nullptr) {
    CsrBuilder b(cells, genes);
    for (auto [c, g, v] : entries) b.add(c, g, v);
    CellMatrix m;
    int64_t d = b.finish(m);
    if (duplicates) *duplicates = d;
    for (int64_t i = 0; i < genes; ++i) {
        m.gene_ids.push_back("G" + std::to_string(i));
        m.gene_symbols.push_back("G" + std::to_string(i));
    }
    for (int64_t i = 0; i < cells; ++i) m.barcodes.push_back("C" + std::to_string(i));
    return m;
}

TEST(CsrBuilder, SortsByCellThenGene) {
    CellMatrix m = build(3, 4, {{2, 3, 1.f}, {0, 2, 2.f}, {2, 0, 3.f}, {0, 1, 4.f}});
    EXPECT_EQ(m.indptr, (std::vector<int64_t>{0, 2, 2, 4}));
    EXPECT_EQ(m.indices, (std::vector<int32_t>{1, 2, 0, 3}));
    EXPECT_EQ(m.values, (std::vector<float>{4.f, 2.f, 3.f, 1.f}));
    EXPECT_NO_THROW(m.validate("test"));
}

TEST(CsrBuilder, SumsDuplicatesAndCountsThem) {
    int64_t dups = 0;
    CellMatrix m = build(1, 2, {{0, 1, 1.f}, {0, 1, 2.5f}, {0, 0, 1.f}}, &dups);
    EXPECT_EQ(dups, 1);
    EXPECT_EQ(m.indices, (std::vector<int32_t>{0, 1}));
    EXPECT_EQ(m.values, (std::vector<float>{1.f, 3.5f}));
}

TEST(CellMatrix, ValidateNamesTheProblem) {
    CellMatrix m = build(2, 2, {{0, 0, 1.f}, {1, 1, 2.f}});
    m.values[1] = std::nanf("");
    try {
        m.validate("counts.mtx");
        FAIL() << "a NaN value was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("counts.mtx: cell C1"), std::string::npos) << e.what();
    }
    m = build(2, 2, {{0, 0, 1.f}});
    m.barcodes.pop_back();
    EXPECT_THROW(m.validate("x"), InputError);
}

TEST(ObsColumn, TextAndLevels) {
    ObsColumn cat{"type", {"B", "T"}, {1, -1, 0}, {}};
    EXPECT_EQ(cat.text(0), "T");
    EXPECT_EQ(cat.text(1), "");
    EXPECT_EQ(cat.level_count(), 2);
    ObsColumn num{"n", {}, {}, {1.0, 2.0, 1.0, std::nan("")}};
    EXPECT_TRUE(num.is_numeric());
    EXPECT_EQ(num.level_count(), 2);
    EXPECT_EQ(num.text(1), "2");
}

}  // namespace
}  // namespace scpt
