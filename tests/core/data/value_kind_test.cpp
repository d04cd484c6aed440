#include "core/data/value_kind.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/io_test_util.hpp"
#include "tools/native/hdf5_file.hpp"
#include "core/io/h5ad.hpp"
#include "tools/native/input.hpp"

namespace scpt {
namespace {

// The `values` column of ../shared/data/README.md, which says what each dataset holds.
const std::pair<const char*, ValueKind> kTruth[] = {
    {"allen_human_m1_10x_markers", ValueKind::RawCounts},
    {"cellbench_celseq2_3cl", ValueKind::RawCounts},
    {"cellbench_celseq2_5cl", ValueKind::RawCounts},
    // Mixed integer counts and non-integer expected counts: count-like but not integer.
    {"cepo_human_pancreas_beta_ductal", ValueKind::Normalized},
    {"chetah_headneck_ref", ValueKind::LogNormalized},
    {"chetah_melanoma_query", ValueKind::LogNormalized},
    {"garnett_zheng_sorted_pbmc", ValueKind::RawCounts},
    {"hsmm_myoblast", ValueKind::Normalized},  // FPKM
    {"kang_pbmc_ctrl_stim_unlabeled", ValueKind::RawCounts},
    {"pbmc3k_seurat_labels", ValueKind::LogNormalized},
    {"pbmc5k_cite_10xv3_subset", ValueKind::RawCounts},
    {"pbmc68k_reduced", ValueKind::LogNormalized},
    {"pollen_counts_4class", ValueKind::RawCounts},
    {"sctransform_pbmc_unlabeled", ValueKind::RawCounts},
    {"segerstolpe_pancreas_tiny", ValueKind::RawCounts},
    {"seurat_pbmc_small_unlabeled", ValueKind::RawCounts},
    {"simlr_pollen", ValueKind::LogNormalized},
    {"soupx_pbmc4k_10x", ValueKind::RawCounts},
    {"clustifyr_mouse_lung_aec2_10x", ValueKind::RawCounts},
    {"monocle_treutlein_lung_timecourse", ValueKind::Normalized},
    {"scmerge_mesc_kolodziejczyk", ValueKind::RawCounts},
    {"scp_mouse_brainstem_neurons_tiny", ValueKind::RawCounts},
    {"scp_mouse_retina_amacrine_tiny", ValueKind::LogNormalized},
    {"screclassify_mouse_fetal_liver", ValueKind::LogNormalized},
    {"simlr_buettner_mesc", ValueKind::LogNormalized},
    {"tabula_muris_kidney_smartseq2_subset", ValueKind::LogNormalized},
    {"ting_mouse_ctc", ValueKind::RawCounts},
    {"treutlein_lung", ValueKind::Normalized},  // FPKM
};

TEST(ValueKind, EverySharedDatasetIsRecognised) {
    int checked = 0;
    for (auto& [name, kind] : kTruth) {
        std::string rel = std::string(name) + "/matrix.mtx.gz";
        if (!test::path_exists(test::data_path(rel))) continue;
        CellMatrix m = native::read_input(test::data_path(name));
        ValueSummary s = detect_value_kind(m);
        EXPECT_EQ(value_kind_name(s.kind), std::string(value_kind_name(kind))) << name << ": " << s.explanation;
        ++checked;
    }
    if (checked == 0) GTEST_SKIP() << "no shared datasets";
}

TEST(ValueKind, Log2CpmOfTabulaMurisIsIdentifiedExactly) {
    SCPT_REQUIRE_DATA("tabula_muris_kidney_smartseq2_subset/matrix.mtx.gz");
    CellMatrix m = native::read_input(test::data_path("tabula_muris_kidney_smartseq2_subset"));
    ValueSummary s = detect_value_kind(m);
    EXPECT_EQ(s.log_base, 2.0);
    // README: 2^x - 1 sums to 825688 per cell.
    EXPECT_NEAR(s.cell_total, 825688, 825688 * 0.01);
}

TEST(ValueKind, ScaledAnnDataXIsScaled) {
    SCPT_REQUIRE_DATA("fixtures/h5ad/10x_pbmc68k_reduced.h5ad");
    auto f = native::Hdf5File::open(test::data_path("fixtures/h5ad/10x_pbmc68k_reduced.h5ad"));
    CellMatrix x = io::read_h5ad(*f);
    EXPECT_EQ(detect_value_kind(x).kind, ValueKind::Scaled);
}

}  // namespace
}  // namespace scpt
