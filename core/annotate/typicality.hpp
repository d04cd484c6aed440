// How typical a cell is of a cell type of the reference, as a conformal p-value, so that "unlike
// anything in the reference" has a calibrated meaning. The nonconformity score of a cell x for
// type c is the mean cosine distance from x to its k nearest reference cells of type c (features
// centred on the reference mean, then unit length), divided by the type's own scale (the median of
// that score among the type's reference cells, each left out of its own neighbours), so that
// tight and spread-out types are judged alike. Calibration cells of known type (held out of
// training, or the reference cells themselves left out one at a time when the feature space did
// not learn from them) give the null distribution:
//   p(x) = (1 + #{calibration scores >= score(x)}) / (1 + #calibration)
// and, beyond the largest calibration score, an extrapolated tail (conformal.hpp: without it no
// cell of a type with fewer than 99 calibration cells could fall below alpha 0.01).
// A query cell of a reference type then has p < alpha with probability at most alpha (when it
// resembles the calibration cells: same technology and batch); a cell of a type the reference
// lacks is far from every type's cells and gets a small p.
#pragma once
#include <cstdint>
#include <vector>

#include "core/annotate/conformal.hpp"
#include "core/nn/tensor.hpp"
#include "core/util/run_control.hpp"

namespace scpt::annotate {

struct TypicalityOptions {
    int neighbours = 10;           // k (clipped to the type's reference cells)
    int64_t max_reference = 5000;  // reference cells kept per type at most (evenly spaced), bounds the cost
    // p_value(score, type): a type with fewer calibration cells than this is ranked against the
    // pooled calibration of every type (its own few cells cannot give a small p-value).
    int64_t min_type_calibration = 50;
    // QueryTypicality: the query's shift is the ratio of this quantile of its scores to the same
    // quantile of the calibration scores. A low quantile stays on the known cells while a new type
    // is up to 1 - q of the query (the median was pulled up by a held-out type of 40% of it).
    double shift_quantile = 0.25;
};

class Typicality {
public:
    // reference: features of labelled reference cells (cells x d) with their types in [0, n_classes).
    // calibration: cells of known type scored against their own type; when null, the reference
    // cells are scored against the other cells of their type (valid only when the features were
    // not fitted to these cells).
    void fit(const nn::Matrix& reference, const std::vector<int32_t>& labels, int n_classes,
             const nn::Matrix* calibration, const std::vector<int32_t>* calibration_labels,
             const TypicalityOptions& options = {});

    // Normalised scores of cells (rows of features) for the given types (one per cell).
    std::vector<float> scores(const nn::Matrix& features, const std::vector<int32_t>& types) const;
    // The conformal p-value of a score, against the calibration cells of every type.
    double p_value(float score) const;
    // Against the calibration cells of `type` only (Mondrian conformal: each type's own tail, a
    // spread-out type does not set the threshold of a tight one); the pooled p-value for a type
    // with fewer than min_type_calibration calibration cells.
    double p_value(float score, int32_t type) const;
    // The q-quantile of the calibration scores (median about 1: scores are scaled by each type's median).
    float calibration_quantile(double q) const;
    double shift_quantile() const { return shift_quantile_; }
    int64_t calibration_size() const { return pooled_.size(); }
    bool fitted() const { return d_ > 0; }

private:
    nn::Matrix unit(const nn::Matrix& f) const;  // centred, unit-length rows
    // Mean distance to the k nearest of `members` (rows of ref_), skipping the row `self` (>= 0).
    float knn_distance(const float* sims, const std::vector<int64_t>& members, int64_t self) const;

    int64_t d_ = 0;
    int k_ = 10;
    Eigen::RowVectorXf mean_;
    nn::Matrix ref_;                              // unit rows of the kept reference cells
    std::vector<std::vector<int64_t>> members_;   // per type, rows of ref_
    std::vector<float> scale_;                    // per type
    ConformalTail pooled_;                        // the calibration scores of every type
    std::vector<ConformalTail> own_;              // per type, its own calibration scores
    int64_t min_type_calibration_ = 50;
    double shift_quantile_ = 0.25;
};

}  // namespace scpt::annotate
