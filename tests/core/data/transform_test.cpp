#include "core/data/transform.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"
#include "tools/native/input.hpp"

namespace scpt {
namespace {

CellMatrix load(const char* name) { return native::read_input(test::data_path(name)); }

double row_sum_expm1(const CellMatrix& m, int64_t c) {
    double s = 0;
    for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k) s += std::expm1(double(m.values[size_t(k)]));
    return s;
}

TEST(Transform, RawCountsGetLog1p) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    CellMatrix m = load("seurat_pbmc_small_unlabeled");
    CellMatrix orig = m;
    std::vector<std::string> w;
    CellTransform t = plan_transform(detect_value_kind(m), Transform::Log1p, {}, &w);
    EXPECT_TRUE(w.empty());
    apply_transform(m, t);
    for (size_t k = 0; k < m.values.size(); ++k) ASSERT_FLOAT_EQ(m.values[k], float(std::log1p(orig.values[k])));
}

TEST(Transform, Cp10kCellsSumTo10000AfterExpm1) {
    SCPT_REQUIRE_DATA("seurat_pbmc_small_unlabeled/matrix.mtx.gz");
    CellMatrix m = load("seurat_pbmc_small_unlabeled");
    CellTransform t = plan_transform(detect_value_kind(m), Transform::CountsPer10kLog1p, {}, nullptr);
    apply_transform(m, t);
    for (int64_t c = 0; c < m.n_cells; ++c)
        if (m.indptr[size_t(c) + 1] > m.indptr[size_t(c)]) ASSERT_NEAR(row_sum_expm1(m, c), 1e4, 1.0);
}

TEST(Transform, Log2CpmIsUnloggedExactly) {
    SCPT_REQUIRE_DATA("tabula_muris_kidney_smartseq2_subset/matrix.mtx.gz");
    CellMatrix m = load("tabula_muris_kidney_smartseq2_subset");
    std::vector<std::string> w;
    CellTransform t = plan_transform(detect_value_kind(m), Transform::CountsPer10kLog1p, {}, &w);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_NE(w[0].find("log2(x+1)"), std::string::npos) << w[0];
    apply_transform(m, t);
    for (int64_t c = 0; c < m.n_cells; ++c) ASSERT_NEAR(row_sum_expm1(m, c), 1e4, 1.0);
}

TEST(Transform, LogNormalisedIsNotLoggedTwice) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/matrix.mtx.gz");
    CellMatrix m = load("pbmc3k_seurat_labels");
    CellMatrix orig = m;
    std::vector<std::string> w;
    CellTransform t = plan_transform(detect_value_kind(m), Transform::Log1p, {false, "pbmc3k"}, &w);
    EXPECT_TRUE(t.is_identity());
    ASSERT_EQ(w.size(), 1u);
    EXPECT_NE(w[0].find("not logged again"), std::string::npos) << w[0];
    apply_transform(m, t);
    EXPECT_EQ(m.values, orig.values);
}

TEST(Transform, ScaledDataIsRefusedUnlessAllowed) {
    ValueSummary s;
    s.kind = ValueKind::Scaled;
    s.explanation = "350 of 700 values are negative";
    try {
        plan_transform(s, Transform::Log1p, {false, "pbmc68k.h5ad"}, nullptr);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("pbmc68k.h5ad: values look scaled"), std::string::npos) << e.what();
    }
    std::vector<std::string> w;
    CellTransform t = plan_transform(s, Transform::Log1p, {true, "x"}, &w);
    EXPECT_TRUE(t.is_identity());
    ASSERT_EQ(w.size(), 1u);
    EXPECT_NE(w[0].find("quality will suffer"), std::string::npos);
}

TEST(Transform, PerCellApplyEqualsWholeMatrix) {
    SCPT_REQUIRE_DATA("hsmm_myoblast/matrix.mtx.gz");
    CellMatrix m = load("hsmm_myoblast");
    CellTransform t = plan_transform(detect_value_kind(m), Transform::CountsPer10kLog1p, {}, nullptr);
    CellMatrix whole = m;
    apply_transform(whole, t);
    // A streaming encoder applies it cell by cell on copies.
    for (int64_t c = 0; c < m.n_cells; ++c) {
        std::vector<float> row(m.values.begin() + m.indptr[size_t(c)], m.values.begin() + m.indptr[size_t(c) + 1]);
        t.apply(row.data(), row.size());
        for (size_t k = 0; k < row.size(); ++k) ASSERT_EQ(row[k], whole.values[size_t(m.indptr[size_t(c)]) + k]);
    }
}

}  // namespace
}  // namespace scpt
