// Expected values were computed independently with scikit-learn 1.2 (accuracy_score,
// cohen_kappa_score, f1_score(average='macro'), adjusted_rand_score, normalized_mutual_info_score,
// roc_auc_score and average_precision_score averaged one-vs-rest) on the same inputs.
#include "core/stats/metrics.hpp"

#include <gtest/gtest.h>

namespace scpt {
namespace {

const std::vector<int32_t> kTruth = {0, 0, 0, 1, 1, 2, 2, 2, 2, 1};
const std::vector<int32_t> kPred = {0, 1, 0, 1, -1, 2, 2, 0, 2, 1};

TEST(Metrics, MatchScikitLearnOnLabels) {
    ClassificationScores s = score_labels(kTruth, kPred, 3);
    EXPECT_EQ(s.n, 10);
    EXPECT_NEAR(s.accuracy, 0.7, 1e-12);
    EXPECT_NEAR(s.kappa, 0.5714285714285714, 1e-12);
    EXPECT_NEAR(s.macro_f1, 0.7301587301587301, 1e-12);
}

TEST(Metrics, ConfusionMatrixHasAnUnassignedColumn) {
    auto m = confusion_matrix(kTruth, kPred, 3);
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[1][3], 1);  // one cell of class 1 left Unassigned
    EXPECT_EQ(m[2][0], 1);
    int64_t total = 0;
    for (auto& r : m)
        for (auto v : r) total += v;
    EXPECT_EQ(total, 10);
}

TEST(Metrics, PerfectPredictionScoresOne) {
    ClassificationScores s = score_labels(kTruth, kTruth, 3);
    EXPECT_DOUBLE_EQ(s.accuracy, 1.0);
    EXPECT_DOUBLE_EQ(s.kappa, 1.0);
    EXPECT_DOUBLE_EQ(s.macro_f1, 1.0);
}

TEST(Metrics, PartitionAgreementMatchesScikitLearn) {
    std::vector<int32_t> a = {0, 0, 1, 1, 2, 2, 2, 3}, b = {1, 1, 0, 0, 0, 2, 2, 2};
    EXPECT_NEAR(adjusted_rand_index(a, b), 0.3684210526315789, 1e-12);
    EXPECT_NEAR(normalized_mutual_info(a, b), 0.7020168761809934, 1e-12);
    EXPECT_NEAR(adjusted_rand_index(a, a), 1.0, 1e-12);
    // Relabelling a partition changes nothing.
    std::vector<int32_t> renamed = {5, 5, 7, 7, 1, 1, 1, 0};
    EXPECT_NEAR(adjusted_rand_index(a, renamed), 1.0, 1e-12);
    EXPECT_NEAR(normalized_mutual_info(a, renamed), 1.0, 1e-12);
}

TEST(Metrics, AreasMatchScikitLearnWithTies) {
    const std::vector<float> p = {0.5f, 0.7f, 0.6f, 0.5f, 0.4f, 0.6f, 0.4f, 0.9f, 1.0f, 0.4f,
                                  0.8f, 0.5f, 0.6f, 0.9f, 0.1f, 0.1f, 0.0f, 0.8f, 0.8f, 0.9f,
                                  1.0f, 0.8f, 0.5f, 0.8f, 0.1f, 0.6f, 0.1f, 0.9f, 0.5f, 0.4f};
    EXPECT_NEAR(macro_auroc(kTruth, p, 3), 0.5714285714285713, 1e-6);
    EXPECT_NEAR(macro_auprc(kTruth, p, 3), 0.45, 1e-6);
}

}  // namespace
}  // namespace scpt
