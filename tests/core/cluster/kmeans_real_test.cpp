// K-means on real cells: the three lung adenocarcinoma cell lines of CellBench CEL-seq2 are
// distinct enough that clustering their normalised expression (28k genes, sparse) finds them.
// (On plain log1p counts K-means splits by library size instead, whose range is 12x here:
// scikit-learn and faiss reach an ARI of only 0.04-0.25 there too.)
#include <gtest/gtest.h>

#include "core/stats/metrics.hpp"
#include "core/cluster/kmeans.hpp"
#include "tests/core/train/real_data.hpp"

namespace scpt::cluster {
namespace {

TEST(KmeansRealData, FindsTheThreeCellLinesOfCellBench) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    auto d = test::read_transformed("cellbench_celseq2_3cl", Transform::CountsPer10kLog1p);
    ASSERT_EQ(d.classes.size(), 3u);
    KmeansOptions o;
    o.k = 3;
    o.n_init = 4;  // single runs can stop in a local optimum (see KmeansOptions::n_init)
    RunControl one, two;
    two.threads = 2;
    auto a = kmeans(nn::CsrRef::of(d.m), o, one);
    auto b = kmeans(nn::CsrRef::of(d.m), o, two);
    EXPECT_EQ(a.labels, b.labels);
    double ari = adjusted_rand_index(d.labels, a.labels);
    EXPECT_GT(ari, 0.95) << "ARI " << ari;
}

}  // namespace
}  // namespace scpt::cluster
