// Multinomial logistic regression with an L2 penalty, fitted by L-BFGS: the same objective as
// scikit-learn's LogisticRegression(C) (sum of cross-entropies + ||W||^2 / (2C), intercept not
// penalised). `scpt eval` uses it to compare embeddings (encoder vs PCA) the way the paper does.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/util/run_control.hpp"

namespace scpt {

struct LogisticOptions {
    double C = 1.0;          // inverse regularisation strength, as in scikit-learn
    int max_iters = 500;     // L-BFGS iterations
    int memory = 30;         // L-BFGS history pairs (10 took 465 iterations to 30's ~300 on the annotate benchmark)
    double tol = 1e-6;       // stop when the gradient's max-norm falls below tol * max(1, |f|)
    bool warm_start = false; // start from the current fit (same features and classes) instead of zero
};

class LogisticRegression {
public:
    // x: cells x features; y: class index per cell in [0, n_classes).
    void fit(const Eigen::MatrixXf& x, const std::vector<int32_t>& y, int32_t n_classes,
             const LogisticOptions& opt = {}, const RunControl& control = {});
    // Class probabilities, cells x n_classes.
    Eigen::MatrixXf predict_proba(const Eigen::MatrixXf& x) const;
    // Logits x W + b, cells x n_classes (softmax of a row gives predict_proba's row).
    Eigen::MatrixXf decision_function(const Eigen::MatrixXf& x) const;
    bool fitted() const { return w_.size() > 0; }
    std::vector<int32_t> predict(const Eigen::MatrixXf& x) const;
    int iterations() const { return iterations_; }
    // The fit, to store it (model files) and restore it: weights features x classes, intercepts.
    const Eigen::MatrixXd& weights() const { return w_; }
    const Eigen::RowVectorXd& intercepts() const { return b_; }

private:
    Eigen::MatrixXd w_;  // features x classes
    Eigen::RowVectorXd b_;
    int iterations_ = 0;
};

}  // namespace scpt
