// The linear head's marker genes (AnnotateOptions::reference_genes) on real data of
// ../shared/data with the shipped model: they carry a reference across plates, where the frozen
// encoder alone confuses the cell lines, and they step aside when the reference's values cannot
// be put on a common scale.
#include <gtest/gtest.h>

#include <cmath>

#include "core/annotate/annotate.hpp"
#include "tests/core/annotate/shipped_model.hpp"
#include "tests/test_data.hpp"
#include "tools/native/input.hpp"

namespace scpt::annotate {
namespace {

using test::labels_of;
const Model& model() { return test::shipped_model(); }

// Share of the cells with a truth label given it (Unassigned counts as wrong).
double accuracy(const AnnotateResult& r, const std::vector<std::string>& truth) {
    int64_t n = 0, right = 0;
    const Predictions& p = r.predictions;
    for (size_t i = 0; i < p.label.size(); ++i) {
        const std::string& t = truth[size_t(p.cells[i])];
        if (t.empty()) continue;
        ++n;
        right += p.label[i] >= 0 && r.fit.classes[size_t(p.label[i])] == t;
    }
    return n ? double(right) / double(n) : 0;
}

// CEL-seq2: reference = the 5-line plates, query = the 3-line plate. Measured (EVALUATION.md,
// shift pairs): macro-F1 0.87 from the encoder outputs and PCs alone, 1.00 with the marker genes.
TEST(AnnotateMarkers, CarryAReferenceToAnotherPlate) {
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
    AnnotateOptions o;  // the defaults: 500 marker genes
    const AnnotateResult with = annotate(in, o);
    EXPECT_EQ(with.fit.reference_genes, o.reference_genes);
    o.reference_genes = 0;
    const AnnotateResult without = annotate(in, o);
    EXPECT_EQ(without.fit.reference_genes, 0);
    const double a_with = accuracy(with, truth), a_without = accuracy(without, truth);
    RecordProperty("accuracy_with_markers", std::to_string(a_with));
    RecordProperty("accuracy_without", std::to_string(a_without));
    EXPECT_GE(a_with, 0.95);
    EXPECT_GT(a_with, a_without + 0.05);
}

// log1p of counts without normalising: values of a log scale whose base cannot be identified
// (the totals do not come out constant), used as they are; their genes' levels are nobody
// else's, so the head leaves the markers out; the labels still come from the encoder and PCs.
TEST(AnnotateMarkers, StepAsideWhenTheValuesCannotBePutOnOneScale) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/matrix.mtx.gz");
    CellMatrix ref = native::read_input(test::data_path("cellbench_celseq2_5cl"));
    for (float& v : ref.values) v = std::log1p(v);
    std::vector<std::string> labels = labels_of(ref);
    for (size_t i = 1; i < labels.size(); i += 2) labels[i].clear();  // the odd cells are predicted
    AnnotateInput in;
    in.reference = &ref;
    in.labels = labels;
    in.model = &model();
    const AnnotateResult r = annotate(in, AnnotateOptions{});
    EXPECT_EQ(r.fit.reference_genes, 0);
    EXPECT_GE(accuracy(r, labels_of(ref)), 0.9);
}

}  // namespace
}  // namespace scpt::annotate
