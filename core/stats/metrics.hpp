// Scores for predicted labels and for clusterings, as scPretrain's paper reports them and as the
// peers' scoring helpers compute them (../shared/peers/common.py), so figures are comparable.
// Labels are class indices; a prediction of -1 means "Unassigned".
#pragma once
#include <cstdint>
#include <vector>

namespace scpt {

struct ClassificationScores {
    int64_t n = 0;
    double accuracy = 0;
    double kappa = 0;      // Cohen's kappa
    double macro_f1 = 0;   // mean F1 over the classes present in the truth
    double median_f1 = 0;
};

// truth[i], pred[i] in [-1, n_classes): -1 is a class of its own ("Unassigned").
ClassificationScores score_labels(const std::vector<int32_t>& truth, const std::vector<int32_t>& pred,
                                  int32_t n_classes);

// Rows = truth, columns = prediction; index n_classes stands for Unassigned.
std::vector<std::vector<int64_t>> confusion_matrix(const std::vector<int32_t>& truth,
                                                   const std::vector<int32_t>& pred, int32_t n_classes);

// One-vs-rest areas from class probabilities (cells x n_classes, row-major), averaged over the
// classes present in the truth (cells with truth -1 count as negatives for every class).
// AUROC counts ties as one half; AUPRC is average precision (the step-wise area sklearn reports).
double macro_auroc(const std::vector<int32_t>& truth, const std::vector<float>& prob, int32_t n_classes);
double macro_auprc(const std::vector<int32_t>& truth, const std::vector<float>& prob, int32_t n_classes);

// Agreement between two partitions (any non-negative integer ids).
double adjusted_rand_index(const std::vector<int32_t>& a, const std::vector<int32_t>& b);
double normalized_mutual_info(const std::vector<int32_t>& a, const std::vector<int32_t>& b);  // arithmetic mean norm.

}  // namespace scpt
