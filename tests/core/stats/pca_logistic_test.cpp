#include <gtest/gtest.h>

#include <Eigen/SVD>

#include "core/stats/logistic.hpp"
#include "core/stats/pca.hpp"
#include "core/util/rng.hpp"

namespace scpt {
namespace {

CellMatrix random_sparse(int64_t cells, int64_t genes, double density, uint64_t seed) {
    Rng rng(seed);
    CsrBuilder b(cells, genes);
    // A few strong directions plus noise, so the spectrum has a clear top.
    for (int64_t c = 0; c < cells; ++c)
        for (int64_t g = 0; g < genes; ++g)
            if (rng.uniform() < density) b.add(c, g, float(1 + (c % 3 == g % 3 ? 3 : 0) + rng.uniform()));
    CellMatrix m;
    b.finish(m);
    return m;
}

TEST(Pca, MatchesDenseSvdOfCentredData) {
    CellMatrix x = random_sparse(60, 40, 0.3, 7);
    Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(x.n_cells, x.n_genes);
    for (int64_t c = 0; c < x.n_cells; ++c)
        for (int64_t k = x.indptr[c]; k < x.indptr[c + 1]; ++k) dense(c, x.indices[k]) = x.values[k];
    dense.rowwise() -= dense.colwise().mean();
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(dense, Eigen::ComputeThinU);
    PcaOptions opt;
    opt.components = 5;
    PcaResult r = pca(x, opt);
    ASSERT_EQ(r.scores.rows(), 60);
    ASSERT_EQ(r.scores.cols(), 5);
    for (int j = 0; j < 5; ++j) {
        double sv = svd.singularValues()[j];
        EXPECT_NEAR(r.variance[j], sv * sv / 59.0, 1e-3 * sv * sv / 59.0);
        // Scores equal U * S up to sign.
        Eigen::VectorXd ref = svd.matrixU().col(j) * sv;
        Eigen::VectorXd got = r.scores.col(j).cast<double>();
        double agree = std::abs(ref.dot(got)) / (ref.norm() * got.norm());
        EXPECT_GT(agree, 0.999) << "component " << j;
    }
}

TEST(Pca, DeterministicForASeed) {
    CellMatrix x = random_sparse(50, 30, 0.4, 3);
    PcaOptions opt;
    opt.components = 4;
    EXPECT_TRUE(pca(x, opt).scores.isApprox(pca(x, opt).scores, 0));
}

// Expected probabilities from scikit-learn 1.2: LogisticRegression(C=1, tol=1e-10) on the same points.
TEST(LogisticRegression, MatchesScikitLearn) {
    Eigen::MatrixXf x(12, 2);
    x << 0.1f, 1.2f, 0.3f, 0.8f, 1.5f, 0.2f, 1.1f, 0.4f, 0.2f, 0.1f, 0.4f, 0.3f, 1.6f, 1.4f, 1.2f, 1.1f, 0.9f, 0.9f,
        0.5f, 1.0f, 1.4f, 0.6f, 0.2f, 0.5f;
    std::vector<int32_t> y = {0, 0, 1, 1, 2, 2, 1, 0, 2, 0, 1, 2};
    LogisticRegression lr;
    LogisticOptions opt;
    opt.tol = 1e-10;
    lr.fit(x, y, 3, opt);
    Eigen::MatrixXf q(3, 2);
    q << 0.5f, 0.5f, 1.5f, 0.5f, 0.2f, 1.0f;
    Eigen::MatrixXf p = lr.predict_proba(q);
    const float expected[3][3] = {{0.328574f, 0.221977f, 0.449449f},
                                  {0.161441f, 0.642854f, 0.195705f},
                                  {0.520254f, 0.120195f, 0.35955f}};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) EXPECT_NEAR(p(i, j), expected[i][j], 2e-5) << i << "," << j;
}

TEST(LogisticRegression, RefusesOneClass) {
    Eigen::MatrixXf x = Eigen::MatrixXf::Ones(3, 2);
    LogisticRegression lr;
    EXPECT_THROW(lr.fit(x, {0, 0, 0}, 1), InputError);
}

}  // namespace
}  // namespace scpt
