// Reference classifiers shipped in a model (classifier_build.hpp, stored_classifier.hpp) on real
// shared data: a small model pre-trained in the test with the ortholog table (so its genes carry
// human and mouse symbols), a classifier fitted on one PBMC dataset and applied to another, through
// the model file's writer and reader, to human data and to the same data named as mouse genes.
#include "core/annotate/stored_classifier.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "core/annotate/classifier_build.hpp"
#include "core/data/gene_match.hpp"
#include "core/io/gene_tables.hpp"
#include "core/model/model_file.hpp"
#include "core/train/pretrain_corpus.hpp"
#include "core/util/error.hpp"
#include "tests/test_data.hpp"
#include "tools/native/files.hpp"
#include "tools/native/input.hpp"

namespace scpt::annotate {
namespace {

const OrthologTable& orthologs() {
    static OrthologTable t = io::parse_orthologs(native::read_file(test::data_path("ref/scPretrain_orthologs_one2one.csv")),
                                             "orthologs");
    return t;
}

// kang + sctransform PBMC (unlabelled), 5 epochs of phase 1, genes named in both species.
const Model* tiny_model() {
    static std::unique_ptr<Model> m = []() -> std::unique_ptr<Model> {
        std::vector<train::CorpusDataset> ds(2);
        ds[0].name = "kang_pbmc_ctrl_stim_unlabeled";
        ds[1].name = "sctransform_pbmc_unlabeled";
        for (auto& d : ds) d.matrix = native::read_input(test::data_path(d.name));
        train::CorpusOptions o;
        o.pretrain.max_epochs = 5;
        o.pretrain.phases = 1;
        o.pretrain.seed = 1;
        o.orthologs = &orthologs();
        return std::make_unique<Model>(train::pretrain_model(ds, o).model);
    }();
    return m.get();
}

std::vector<std::string> labels_of(const CellMatrix& m) {
    std::vector<std::string> l;
    const ObsColumn* c = m.find_obs("label");
    for (int64_t i = 0; i < m.n_cells; ++i) l.push_back(c ? c->text(i) : "");
    return l;
}

// The same cells with their genes named as mouse genes (genes without an ortholog keep their name).
CellMatrix as_mouse(CellMatrix m) {
    for (size_t g = 0; g < m.gene_symbols.size(); ++g) {
        if (const std::string* mm = orthologs().mouse_of(m.gene_symbols[g])) m.gene_symbols[g] = *mm;
        m.gene_ids[g] = m.gene_symbols[g];  // no human Ensembl ids on mouse data
    }
    return m;
}

#define REQUIRE_SETS()                                              \
    SCPT_REQUIRE_DATA("kang_pbmc_ctrl_stim_unlabeled/matrix.mtx.gz"); \
    SCPT_REQUIRE_DATA("soupx_pbmc4k_10x/matrix.mtx.gz");             \
    SCPT_REQUIRE_DATA("garnett_zheng_sorted_pbmc/matrix.mtx.gz");    \
    SCPT_REQUIRE_DATA("ref/scPretrain_orthologs_one2one.csv")

TEST(StoredClassifier, ModelGenesMatchHumanAndMouseDataWithoutAnOrthologTable) {
    REQUIRE_SETS();
    const Model& model = *tiny_model();
    int64_t both = 0;
    for (const auto& g : model.info.genes) both += !g.human_symbol.empty() && !g.mouse_symbol.empty();
    EXPECT_GT(both, int64_t(model.info.genes.size()) / 2);  // most PBMC genes have a one-to-one ortholog
    const CellMatrix human = native::read_input(test::data_path("garnett_zheng_sorted_pbmc"));
    const GeneMatch h = match_genes(human, model.info.genes);  // no ortholog table given
    const GeneMatch m = match_genes(as_mouse(human), model.info.genes);
    EXPECT_NE(m.species, Species::Human);  // Unknown: the genes without an ortholog keep human names
    EXPECT_GT(h.matched, 5000);
    EXPECT_GT(m.matched, h.matched * 8 / 10);  // the genes with a one-to-one ortholog
    EXPECT_EQ(m.by_ortholog, 0);
}

TEST(StoredClassifier, FittedOnOnePbmcSetLabelsAnotherThroughTheModelFile) {
    REQUIRE_SETS();
    Model model = *tiny_model();
    const CellMatrix ref = native::read_input(test::data_path("soupx_pbmc4k_10x"));
    std::vector<std::string> labels = labels_of(ref);
    for (auto& l : labels)
        if (l == "?" ) l.clear();
    ClassifierBuildOptions o;
    o.name = "pbmc";
    o.description = "test";
    o.genes = 1000;
    o.reference_pcs = 20;
    ReferenceClassifier c = build_classifier(ref, labels, model, o);
    EXPECT_EQ(c.head, ReferenceClassifier::Head::Linear);
    EXPECT_EQ(c.gene_rows.size(), 1000u);
    EXPECT_EQ(c.pcs, 20);
    put_classifier(model, c);
    const Model back = read_model(write_model(model));  // through the one writer and reader
    ASSERT_EQ(back.classifiers.size(), 1u);
    EXPECT_EQ(back.classifiers[0].gene_rows, c.gene_rows);
    EXPECT_EQ(back.classifiers[0].linear_w, c.linear_w);

    // Zheng's FACS-sorted B, CD4 T and CD8 T cells: genuine labels from another 10x run.
    const CellMatrix query = native::read_input(test::data_path("garnett_zheng_sorted_pbmc"));
    const auto truth = labels_of(query);
    const std::map<std::string, std::string> to_ref = {{"B cells", "B"}, {"CD4 T cells", "T_CD4"}, {"CD8 T cells", "T_CD8"}};
    ClassifierOptions po;
    po.min_probability = 0;
    const Predictions p = predict_with_classifier(back, "pbmc", query, po);
    const Predictions pm = predict_with_classifier(back, "pbmc", as_mouse(query), po);
    ASSERT_EQ(p.label.size(), size_t(query.n_cells));
    int64_t ok = 0, b_ok = 0, b = 0, agree = 0;
    for (size_t i = 0; i < p.label.size(); ++i) {
        const std::string& want = to_ref.at(truth[i]);
        const std::string& got = back.classifiers[0].classes[size_t(p.label[i])];
        ok += got == want;
        if (want == "B") b += 1, b_ok += got == "B";
        agree += p.label[i] == pm.label[i];
    }
    // B against T is easy; CD4 against CD8 on a 5-epoch model is not, hence the modest floor.
    EXPECT_GT(double(b_ok) / double(b), 0.95);
    EXPECT_GT(double(ok) / double(p.label.size()), 0.6);
    // Named as mouse genes, the same cells get (nearly) the same labels: the panel genes without a
    // one-to-one ortholog are missing, nothing else differs.
    EXPECT_GT(double(agree) / double(p.label.size()), 0.9);
    EXPECT_NE(pm.genes.match.species, Species::Human);
}

TEST(StoredClassifier, UnknownNameListsTheModelsClassifiers) {
    REQUIRE_SETS();
    Model model = *tiny_model();
    CellMatrix m;
    try {
        predict_with_classifier(model, "liver", m);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'liver'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("none"), std::string::npos);
    }
}

}  // namespace
}  // namespace scpt::annotate
