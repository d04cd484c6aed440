#include "core/stats/logistic.hpp"

#include <cmath>
#include <deque>

#include "core/util/error.hpp"

namespace scpt {
namespace {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;

struct Problem {
    const Mat& x;
    const std::vector<int32_t>& y;
    int32_t k;
    double inv_c;

    // Parameters packed as [W (features x k, column-major); b (k)].
    double value_and_gradient(const Vec& theta, Vec& grad) const {
        const Eigen::Index d = x.cols();
        Eigen::Map<const Mat> w(theta.data(), d, k);
        Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + d * k, k);
        Mat z = x * w;
        z.rowwise() += b;
        double loss = 0;
        for (Eigen::Index i = 0; i < z.rows(); ++i) {
            double m = z.row(i).maxCoeff();
            double s = (z.row(i).array() - m).exp().sum();
            double lse = m + std::log(s);
            loss += lse - z(i, y[size_t(i)]);
            z.row(i) = (z.row(i).array() - lse).exp();  // probabilities
            z(i, y[size_t(i)]) -= 1;                    // dL/dz
        }
        grad.resize(theta.size());
        Eigen::Map<Mat> gw(grad.data(), d, k);
        gw.noalias() = x.transpose() * z;
        gw += inv_c * w;
        Eigen::Map<Eigen::RowVectorXd>(grad.data() + d * k, k) = z.colwise().sum();
        return loss + 0.5 * inv_c * w.squaredNorm();
    }
};

}  // namespace

void LogisticRegression::fit(const Eigen::MatrixXf& xf, const std::vector<int32_t>& y, int32_t n_classes,
                             const LogisticOptions& opt, const RunControl& control) {
    if (xf.rows() != Eigen::Index(y.size())) throw Error("logistic regression: one label per cell is needed");
    if (n_classes < 2) throw InputError("logistic regression needs at least two classes");
    if (opt.C <= 0) throw InputError("logistic regression: C must be positive");
    for (int32_t v : y)
        if (v < 0 || v >= n_classes) throw Error("logistic regression: label out of range");
    const Mat x = xf.cast<double>();
    Problem p{x, y, n_classes, 1.0 / opt.C};
    const Eigen::Index d = x.cols(), n = d * n_classes + n_classes;

    Vec theta = Vec::Zero(n), g, g_new, theta_new;
    if (opt.warm_start && w_.rows() == d && w_.cols() == n_classes) {
        Eigen::Map<Mat>(theta.data(), d, n_classes) = w_;
        Eigen::Map<Eigen::RowVectorXd>(theta.data() + d * n_classes, n_classes) = b_;
    }
    double f = p.value_and_gradient(theta, g);
    std::deque<std::pair<Vec, Vec>> hist;  // (s, y) pairs
    iterations_ = 0;
    for (int it = 0; it < opt.max_iters; ++it) {
        control.check_cancel();
        if (g.cwiseAbs().maxCoeff() < opt.tol * std::max(1.0, std::abs(f))) break;
        // Two-loop recursion for the search direction.
        Vec q = g;
        std::vector<double> alpha(hist.size());
        for (size_t i = hist.size(); i-- > 0;) {
            alpha[i] = hist[i].first.dot(q) / hist[i].second.dot(hist[i].first);
            q -= alpha[i] * hist[i].second;
        }
        if (!hist.empty()) q *= hist.back().first.dot(hist.back().second) / hist.back().second.squaredNorm();
        for (size_t i = 0; i < hist.size(); ++i) {
            double beta = hist[i].second.dot(q) / hist[i].second.dot(hist[i].first);
            q += (alpha[i] - beta) * hist[i].first;
        }
        Vec dir = -q;
        double slope = g.dot(dir);
        if (slope >= 0) {  // not a descent direction: restart from steepest descent
            hist.clear();
            dir = -g;
            slope = -g.squaredNorm();
        }
        double step = hist.empty() ? 1.0 / std::max(1.0, g.norm()) : 1.0;
        double f_new = 0;
        bool accepted = false;
        for (int ls = 0; ls < 40; ++ls) {  // backtracking with the Armijo condition
            theta_new = theta + step * dir;
            f_new = p.value_and_gradient(theta_new, g_new);
            if (f_new <= f + 1e-4 * step * slope) { accepted = true; break; }
            step *= 0.5;
        }
        if (!accepted) break;
        Vec s = theta_new - theta, yv = g_new - g;
        if (s.dot(yv) > 1e-12) {
            hist.emplace_back(std::move(s), std::move(yv));
            if (int(hist.size()) > opt.memory) hist.pop_front();
        }
        bool flat = std::abs(f - f_new) <= 1e-12 * std::max(1.0, std::abs(f));
        theta.swap(theta_new);
        g.swap(g_new);
        f = f_new;
        iterations_ = it + 1;
        if (flat) break;
    }
    w_ = Eigen::Map<const Mat>(theta.data(), d, n_classes);
    b_ = Eigen::Map<const Eigen::RowVectorXd>(theta.data() + d * n_classes, n_classes);
}

Eigen::MatrixXf LogisticRegression::decision_function(const Eigen::MatrixXf& x) const {
    if (x.cols() != w_.rows()) throw Error("logistic regression: feature count differs from the fitted model");
    Mat z = x.cast<double>() * w_;
    z.rowwise() += b_;
    return z.cast<float>();
}

Eigen::MatrixXf LogisticRegression::predict_proba(const Eigen::MatrixXf& x) const {
    if (x.cols() != w_.rows()) throw Error("logistic regression: feature count differs from the fitted model");
    Mat z = x.cast<double>() * w_;
    z.rowwise() += b_;
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        double m = z.row(i).maxCoeff();
        z.row(i) = (z.row(i).array() - m).exp();
        z.row(i) /= z.row(i).sum();
    }
    return z.cast<float>();
}

std::vector<int32_t> LogisticRegression::predict(const Eigen::MatrixXf& x) const {
    Eigen::MatrixXf p = predict_proba(x);
    std::vector<int32_t> out(size_t(p.rows()));
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
        Eigen::Index at;
        p.row(i).maxCoeff(&at);
        out[size_t(i)] = int32_t(at);
    }
    return out;
}

}  // namespace scpt
