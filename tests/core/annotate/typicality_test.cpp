#include "core/annotate/typicality.hpp"

#include "core/annotate/annotate.hpp"
#include "core/annotate/query_typicality.hpp"

#include <gtest/gtest.h>

#include "core/util/rng.hpp"

namespace scpt::annotate {
namespace {

// Points around a centre with a given spread, in 10 dimensions.
nn::Matrix cloud(const std::vector<float>& centre, float spread, int64_t n, Rng& rng) {
    nn::Matrix m(n, int64_t(centre.size()));
    for (int64_t i = 0; i < n; ++i)
        for (size_t j = 0; j < centre.size(); ++j) m(i, int64_t(j)) = centre[j] + spread * float(rng.normal());
    return m;
}

std::vector<float> unit_vector(int axis, float length) {
    std::vector<float> v(10, 0.f);
    v[size_t(axis)] = length;
    return v;
}

struct Fitted {
    Typicality t;
    std::vector<std::vector<float>> centres;
    std::vector<float> spreads;
};

// Three types: two tight, one spread out; calibrated on the reference cells left out in turn.
Fitted fit_three(Rng& rng) {
    Fitted f;
    f.centres = {unit_vector(0, 4), unit_vector(1, 4), unit_vector(2, 4)};
    f.spreads = {0.3f, 0.3f, 1.0f};
    nn::Matrix ref(600, 10);
    std::vector<int32_t> labels;
    for (int c = 0; c < 3; ++c) {
        ref.middleRows(c * 200, 200) = cloud(f.centres[size_t(c)], f.spreads[size_t(c)], 200, rng);
        labels.insert(labels.end(), 200, c);
    }
    TypicalityOptions o;
    o.neighbours = 10;
    f.t.fit(ref, labels, 3, nullptr, nullptr, o);
    return f;
}

double share_below(const Typicality& t, const nn::Matrix& x, int32_t type, double alpha) {
    const auto s = t.scores(x, std::vector<int32_t>(size_t(x.rows()), type));
    int64_t k = 0;
    for (float v : s) k += t.p_value(v) < alpha;
    return double(k) / double(s.size());
}

TEST(Typicality, KnownTypeCellsAreRejectedAboutAlphaOfTheTimeTightOrSpread) {
    Rng rng(3);
    Fitted f = fit_three(rng);
    EXPECT_EQ(f.t.calibration_size(), 600);
    for (int c = 0; c < 3; ++c) {
        const nn::Matrix fresh = cloud(f.centres[size_t(c)], f.spreads[size_t(c)], 2000, rng);
        const double r = share_below(f.t, fresh, c, 0.05);
        // Conformal: ~alpha for exchangeable cells; per type too, thanks to the type's own scale.
        EXPECT_GT(r, 0.01) << "type " << c;
        EXPECT_LT(r, 0.12) << "type " << c;
    }
}

TEST(Typicality, CellsUnlikeEveryTypeGetSmallPValues) {
    Rng rng(4);
    Fitted f = fit_three(rng);
    const nn::Matrix stranger = cloud(unit_vector(5, 4), 0.3f, 500, rng);
    for (int c = 0; c < 3; ++c) EXPECT_GT(share_below(f.t, stranger, c, 0.01), 0.95) << "type " << c;
    // Between two known types (a doublet-like mixture) is atypical of both as well.
    std::vector<float> mid(10, 0.f);
    mid[0] = mid[1] = 2.f;
    EXPECT_GT(share_below(f.t, cloud(mid, 0.3f, 500, rng), 0, 0.01), 0.9);
}

TEST(Typicality, HeldOutCalibrationCellsGiveTheNullDistribution) {
    Rng rng(5);
    nn::Matrix ref = cloud(unit_vector(0, 3), 0.5f, 300, rng), cal = cloud(unit_vector(0, 3), 0.5f, 99, rng);
    nn::Matrix ref2 = cloud(unit_vector(1, 3), 0.5f, 300, rng);
    nn::Matrix both(600, 10);
    both << ref, ref2;
    std::vector<int32_t> labels(600, 0);
    std::fill(labels.begin() + 300, labels.end(), 1);
    std::vector<int32_t> cal_labels(99, 0);
    Typicality t;
    t.fit(both, labels, 2, &cal, &cal_labels);
    EXPECT_EQ(t.calibration_size(), 99);
    // Beyond every calibration score the p-value goes on falling below 1 / (n + 1) (conformal.hpp).
    EXPECT_LT(t.p_value(1e9f), 1e-6);
    EXPECT_GT(t.p_value(1e9f), 0.0);
    EXPECT_DOUBLE_EQ(t.p_value(-1.f), 1.0);
}

// A query from "another batch" (every cell noisier than the reference's) with a fifth of its
// cells of a type the reference lacks: the reference-only p-value loses the known cells, the
// query-calibrated one keeps them and still catches the new type.
TEST(QueryTypicality, TakesTheQuerysShiftOutButNotTheNewType) {
    Rng rng(5);
    Fitted f = fit_three(rng);
    Predictions p;
    std::vector<int32_t> truth;
    for (int c = 0; c < 3; ++c) {
        const nn::Matrix x = cloud(f.centres[size_t(c)], 1.5f * f.spreads[size_t(c)], 400, rng);
        const auto sc = f.t.scores(x, std::vector<int32_t>(400, c));
        p.typicality_score.insert(p.typicality_score.end(), sc.begin(), sc.end());
        p.best.insert(p.best.end(), 400, c);
        truth.insert(truth.end(), 400, c);
    }
    std::vector<float> novel_centre = unit_vector(0, 4);
    novel_centre[5] = 4.f;  // beside type 0, not on it
    const nn::Matrix x = cloud(novel_centre, 0.6f, 300, rng);
    const auto sc = f.t.scores(x, std::vector<int32_t>(300, 0));
    p.typicality_score.insert(p.typicality_score.end(), sc.begin(), sc.end());
    p.best.insert(p.best.end(), 300, 0);
    truth.insert(truth.end(), 300, -1);
    p.confidence.assign(p.best.size(), 1.f);
    p.typicality.assign(p.best.size(), 1.f);
    auto shares = [&](const Predictions& q) {
        int64_t lost = 0, known = 0, caught = 0, novel = 0;
        for (size_t i = 0; i < truth.size(); ++i) {
            if (truth[i] < 0) ++novel, caught += q.label[i] < 0;
            else ++known, lost += q.label[i] < 0;
        }
        return std::make_pair(double(lost) / double(known), double(caught) / double(novel));
    };
    UnknownTypeOptions o;
    o.rule = UnknownRule::Typicality;
    Predictions before = p;
    for (size_t i = 0; i < p.best.size(); ++i) before.typicality[i] = float(f.t.p_value(p.typicality_score[i]));
    apply_unknown_rule(before, o);
    EXPECT_GT(shares(before).first, 0.2);  // the shift alone loses the known cells (27% measured)

    o.rule = UnknownRule::QueryTypicality;
    Predictions after = p;
    const double shift = decide_query_typicality({&after}, f.t, o);
    EXPECT_GT(shift, 1.2);
    const auto [lost, caught] = shares(after);
    EXPECT_LT(lost, 0.05);
    EXPECT_GT(caught, 0.5);
    EXPECT_THROW(f.t.p_value(1.f, 7), std::invalid_argument);
}

}  // namespace
}  // namespace scpt::annotate
