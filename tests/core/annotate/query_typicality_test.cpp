// The default unknown-type rule (query-typicality, core/annotate/query_typicality.hpp) on real
// data of ../shared/data with the shipped model: a query from another batch whose types are all in
// the reference keeps its cells (the reference-only typicality called about half of them
// Unassigned), and a type held out of the reference is still caught.
#include <gtest/gtest.h>

#include <map>

#include "core/annotate/annotate.hpp"
#include "tests/core/annotate/shipped_model.hpp"
#include "tests/test_data.hpp"
#include "tools/native/input.hpp"

namespace scpt::annotate {
namespace {

using test::labels_of;
const Model& model() { return test::shipped_model(); }

struct Outcome {
    double known_lost = 0, caught = 0, accuracy = 0;  // accuracy: of the known-type cells
};

Outcome score(const Predictions& p, const std::vector<std::string>& classes, const std::vector<std::string>& truth,
              const std::string& held_out) {
    int64_t known = 0, lost = 0, right = 0, novel = 0, caught = 0;
    for (size_t i = 0; i < p.label.size(); ++i) {
        const std::string& t = truth[size_t(p.cells[i])];
        if (t.empty() || t == "?") continue;
        if (t == held_out) {
            ++novel;
            caught += p.label[i] < 0;
        } else {
            ++known;
            lost += p.label[i] < 0;
            right += p.label[i] >= 0 && classes[size_t(p.label[i])] == t;
        }
    }
    Outcome o;
    o.known_lost = known ? double(lost) / double(known) : 0;
    o.caught = novel ? double(caught) / double(novel) : 0;
    o.accuracy = known ? double(right) / double(known) : 0;
    return o;
}

// CEL-seq2: reference = the 5 lines (3 plates), query = the 3-line plate; every query line is in
// the reference. Measured (docs/ANNOTATE.md): 46.7% of the query Unassigned by the reference-only
// rule, none by query-typicality; accuracy 0.78 (macro-F1 0.87).
TEST(QueryTypicality, KeepsTheKnownCellsOfAnotherBatch) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    const CellMatrix ref = native::read_input(test::data_path("cellbench_celseq2_5cl"));
    const CellMatrix qry = native::read_input(test::data_path("cellbench_celseq2_3cl"));
    const std::vector<std::string> truth = labels_of(qry);
    AnnotateInput in;
    in.reference = &ref;
    in.labels = labels_of(ref);
    in.query = &qry;
    in.model = &model();
    AnnotateOptions o;  // defaults: head mode, query-typicality at alpha 0.01
    ASSERT_EQ(o.unknown.rule, UnknownRule::QueryTypicality);
    const AnnotateResult r = annotate(in, o);
    const Outcome now = score(r.predictions, r.fit.classes, truth, "");
    RecordProperty("known_lost", std::to_string(now.known_lost));
    RecordProperty("accuracy", std::to_string(now.accuracy));
    EXPECT_LE(now.known_lost, 0.05);
    EXPECT_GE(now.accuracy, 0.7);

    // The reference-only rule on the same predictions loses far more: the shift is real.
    o.unknown.rule = UnknownRule::Typicality;
    const AnnotateResult before = annotate(in, o);
    EXPECT_GT(score(before.predictions, before.fit.classes, truth, "").known_lost, 0.2);
}

// PBMC 10x v2 (pbmc4k): B cells held out of the reference (even cells), query = the odd cells.
// Measured: 99% of the B cells Unassigned, 0.5% of the others.
TEST(QueryTypicality, CatchesATypeHeldOutOfTheReference) {
    SCPT_REQUIRE_DATA("soupx_pbmc4k_10x/matrix.mtx.gz");
    const CellMatrix cells = native::read_input(test::data_path("soupx_pbmc4k_10x"));
    const std::vector<std::string> truth = labels_of(cells);
    std::vector<std::string> ref_labels(truth.size());
    std::vector<int64_t> query;
    for (size_t i = 0; i < truth.size(); ++i) {
        if (i % 2 == 0) {
            if (truth[i] != "B" && truth[i] != "?") ref_labels[i] = truth[i];
        } else {
            query.push_back(int64_t(i));
        }
    }
    const Annotator a = Annotator::fit(cells, ref_labels, &cells, &model(), AnnotateOptions{});
    const Predictions p = a.predict(cells, &query, "the odd cells");
    const Outcome o = score(p, a.summary().classes, truth, "B");
    RecordProperty("caught", std::to_string(o.caught));
    RecordProperty("known_lost", std::to_string(o.known_lost));
    EXPECT_GE(o.caught, 0.5);
    EXPECT_LE(o.known_lost, 0.05);
}

}  // namespace
}  // namespace scpt::annotate
