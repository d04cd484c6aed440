#include "core/data/gene_match.hpp"

#include <gtest/gtest.h>

#include <unordered_map>

#include "core/io/gene_tables.hpp"
#include "core/data/vocabulary.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"
#include "tools/native/input.hpp"

namespace scpt {
namespace {

const char* kOrth = "ref/scPretrain_orthologs_one2one.csv";
const char* kGencode = "ref/GENCODEv44_Gene_id2name.csv";

CellMatrix load(const char* name) { return native::read_input(test::data_path(name)); }

// A model-like vocabulary: every pair of the ortholog table, with human Ensembl ids from GENCODE.
std::vector<ModelGene> ortholog_vocabulary(const OrthologTable& t, const GeneIdTable& ids) {
    std::vector<ModelGene> v;
    for (auto& [h, m] : t.pairs()) {
        ModelGene g{h, m, ""};
        if (const std::string* e = ids.id_of(h)) g.ensembl_id = *e;
        v.push_back(g);
    }
    return v;
}

class GeneMatchTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::path_exists(test::data_path(kOrth)) || !test::path_exists(test::data_path(kGencode)))
            GTEST_SKIP() << "reference tables not found";
        orth = io::parse_orthologs(test::slurp(test::data_path(kOrth)), kOrth);
        ids = io::parse_gene_id_table(test::slurp(test::data_path(kGencode)), kGencode);
        vocab = ortholog_vocabulary(orth, ids);
    }
    OrthologTable orth;
    GeneIdTable ids;
    std::vector<ModelGene> vocab;
};

TEST_F(GeneMatchTest, HumanSymbols) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/matrix.mtx.gz");
    CellMatrix m = load("pbmc3k_seurat_labels");
    GeneMatch r = match_genes(m, vocab);
    EXPECT_EQ(r.species, Species::Human);
    EXPECT_EQ(r.total, 2000);
    EXPECT_GT(r.matched, 1000);
    // Every match is right: the symbol equals the vocabulary's human symbol, or its mouse symbol
    // (old human symbols such as CARS, now CARS1, still match the mouse name Cars).
    for (size_t i = 0; i < r.column_to_vocab.size(); ++i)
        if (r.column_to_vocab[i] >= 0) {
            const ModelGene& g = vocab[size_t(r.column_to_vocab[i])];
            ASSERT_TRUE(iequals(m.gene_symbols[i], g.human_symbol) || iequals(m.gene_symbols[i], g.mouse_symbol))
                << m.gene_symbols[i];
        }
    EXPECT_GT(r.by_symbol, 1000);
}

TEST_F(GeneMatchTest, MouseSymbolsMatchThroughTheMouseNames) {
    SCPT_REQUIRE_DATA("clustifyr_mouse_lung_aec2_10x/matrix.mtx.gz");
    CellMatrix m = load("clustifyr_mouse_lung_aec2_10x");
    GeneMatch r = match_genes(m, vocab);
    EXPECT_EQ(r.species, Species::Mouse);
    EXPECT_GT(r.matched, 1000);
    for (size_t i = 0; i < r.column_to_vocab.size(); ++i)
        if (r.column_to_vocab[i] >= 0) {
            const ModelGene& g = vocab[size_t(r.column_to_vocab[i])];
            ASSERT_TRUE(iequals(m.gene_symbols[i], g.mouse_symbol) || iequals(m.gene_symbols[i], g.human_symbol));
        }
}

TEST_F(GeneMatchTest, VersionedEnsemblIds) {
    SCPT_REQUIRE_DATA("hsmm_myoblast/matrix.mtx.gz");
    CellMatrix m = load("hsmm_myoblast");
    ASSERT_NE(m.gene_ids[0].find('.'), std::string::npos);  // ENSG00000000003.10
    // A vocabulary of Ensembl ids only: symbols cannot help, so matches come from ids.
    std::vector<ModelGene> by_id;
    for (auto& g : vocab)
        if (!g.ensembl_id.empty()) by_id.push_back({"", "", g.ensembl_id});
    GeneMatch r = match_genes(m, by_id);
    EXPECT_GT(r.by_ensembl, 5000);
    EXPECT_EQ(r.by_symbol, 0);
}

TEST_F(GeneMatchTest, DuplicateSymbolsKeepTheFirst) {
    SCPT_REQUIRE_DATA("ting_mouse_ctc/matrix.mtx.gz");
    CellMatrix m = load("ting_mouse_ctc");
    GeneMatch r = match_genes(m, vocab);
    EXPECT_GT(r.duplicates, 0);
    std::vector<int> hits(vocab.size(), 0);
    for (int32_t v : r.column_to_vocab)
        if (v >= 0) ASSERT_EQ(++hits[size_t(v)], 1);
    ASSERT_FALSE(r.notes.empty());
}

TEST_F(GeneMatchTest, OrthologsTranslateWhenTheVocabularyHasOneSpecies) {
    SCPT_REQUIRE_DATA("clustifyr_mouse_lung_aec2_10x/matrix.mtx.gz");
    CellMatrix m = load("clustifyr_mouse_lung_aec2_10x");
    std::vector<ModelGene> human_only;
    for (auto& g : vocab) human_only.push_back({g.human_symbol, "", ""});
    GeneMatchOptions o;
    GeneMatch without = match_genes(m, human_only, o);
    o.orthologs = &orth;
    GeneMatch with = match_genes(m, human_only, o);
    EXPECT_GT(with.by_ortholog, 0);
    EXPECT_GE(with.matched, without.matched + with.by_ortholog - 5);
}

TEST_F(GeneMatchTest, TooFewMatchesNamesBothSides) {
    SCPT_REQUIRE_DATA("scmerge_mesc_kolodziejczyk/matrix.mtx.gz");
    CellMatrix m = load("scmerge_mesc_kolodziejczyk");  // mouse Ensembl ids only
    GeneMatchOptions o;
    o.data_name = "mesc";
    o.vocab_name = "model human.scpt";
    try {
        match_genes(m, vocab, o);
        FAIL();
    } catch (const InputError& e) {
        std::string w = e.what();
        EXPECT_NE(w.find("mesc: only 0 of its 1047 genes"), std::string::npos) << w;
        EXPECT_NE(w.find("model human.scpt"), std::string::npos) << w;
    }
}

TEST_F(GeneMatchTest, PlaceholderNamesAreRefused) {
    SCPT_REQUIRE_DATA("simlr_pollen/matrix.mtx.gz");
    CellMatrix m = load("simlr_pollen");
    try {
        match_genes(m, vocab, {});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("has no gene names"), std::string::npos) << e.what();
    }
}

TEST_F(GeneMatchTest, DatasetAgainstDataset) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("clustifyr_mouse_lung_aec2_10x/matrix.mtx.gz");
    CellMatrix h = load("pbmc3k_seurat_labels"), mo = load("clustifyr_mouse_lung_aec2_10x");
    std::vector<ModelGene> v = genes_as_vocabulary(h, &orth);
    GeneMatchOptions o;
    o.min_matched = 10;
    GeneMatch r = match_genes(mo, v, o);
    EXPECT_GT(r.matched, 50);
}

TEST_F(GeneMatchTest, SharedVocabularyOfHumanAndMouseData) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("clustifyr_mouse_lung_aec2_10x/matrix.mtx.gz");
    CellMatrix h = load("pbmc3k_seurat_labels"), mo = load("clustifyr_mouse_lung_aec2_10x");
    Vocabulary v = build_vocabulary({{"pbmc3k", &h, Species::Unknown}, {"lung", &mo, Species::Unknown}}, &orth, &ids);
    ASSERT_EQ(v.matches.size(), 2u);
    EXPECT_EQ(v.matches[0].matched, 2000);  // every human gene is in the vocabulary
    // Genes both datasets have (human X, mouse ortholog of X) map to the same vocabulary entry.
    std::unordered_map<std::string, int64_t> mouse_col;
    for (int64_t i = 0; i < mo.n_genes; ++i) mouse_col[mo.gene_symbols[size_t(i)]] = i;
    int shared = 0;
    for (int64_t i = 0; i < h.n_genes; ++i) {
        const std::string* ms = orth.mouse_of(h.gene_symbols[size_t(i)]);
        if (!ms || !mouse_col.count(*ms)) continue;
        int32_t vi = v.matches[0].column_to_vocab[size_t(i)];
        ASSERT_GE(vi, 0);
        ASSERT_EQ(vi, v.matches[1].column_to_vocab[size_t(mouse_col[*ms])]) << h.gene_symbols[size_t(i)];
        EXPECT_EQ(v.genes[size_t(vi)].mouse_symbol, *ms);
        if (const std::string* e = ids.id_of(h.gene_symbols[size_t(i)])) EXPECT_EQ(v.genes[size_t(vi)].ensembl_id, *e);
        ++shared;
    }
    EXPECT_GT(shared, 100);
    // Genes in both datasets only.
    VocabularyOptions o;
    o.min_datasets = 2;
    Vocabulary both = build_vocabulary({{"pbmc3k", &h, Species::Unknown}, {"lung", &mo, Species::Unknown}}, &orth, &ids, o);
    EXPECT_LT(both.genes.size(), v.genes.size());
    EXPECT_EQ(both.matches[0].matched, int64_t(both.genes.size()));
}

TEST(GeneNames, AxisGuessOnEverySharedDataset) {
    const char* names[] = {"pbmc3k_seurat_labels", "cellbench_celseq2_3cl", "chetah_headneck_ref",
                           "scp_mouse_brainstem_neurons_tiny", "tabula_muris_kidney_smartseq2_subset", "treutlein_lung",
                           "screclassify_mouse_fetal_liver", "hsmm_myoblast", "ting_mouse_ctc", "pollen_counts_4class",
                           "segerstolpe_pancreas_tiny", "cepo_human_pancreas_beta_ductal", "kang_pbmc_ctrl_stim_unlabeled"};
    int checked = 0;
    for (const char* n : names) {
        if (!test::path_exists(test::data_path(std::string(n) + "/matrix.mtx.gz"))) continue;
        CellMatrix m = load(n);
        AxisGuess g = guess_gene_axis(m.gene_symbols, m.barcodes);
        EXPECT_TRUE(g.genes_are_rows) << n << ": " << g.reason;
        EXPECT_TRUE(g.confident) << n << ": " << g.reason;
        AxisGuess t = guess_gene_axis(m.barcodes, m.gene_symbols);
        EXPECT_FALSE(t.genes_are_rows) << n << " (transposed): " << t.reason;
        ++checked;
    }
    if (!checked) GTEST_SKIP();
}

TEST(GeneNames, Patterns) {
    EXPECT_TRUE(is_ensembl_gene_id("ENSG00000141510"));
    EXPECT_TRUE(is_ensembl_gene_id("ENSMUSG00000059552.3"));
    EXPECT_FALSE(is_ensembl_gene_id("ENSGXXXXXX"));
    EXPECT_FALSE(is_ensembl_gene_id("TP53"));
    EXPECT_EQ(strip_ensembl_version("ENSG00000141510.17"), "ENSG00000141510");
    EXPECT_EQ(strip_ensembl_version("RP11-34P13.3"), "RP11-34P13.3");
    EXPECT_TRUE(looks_like_dna_barcode("AAACATACAACCAC-1"));
    EXPECT_FALSE(looks_like_dna_barcode("CD74"));
    EXPECT_TRUE(looks_like_placeholder_names({"gene1", "gene2", "gene3"}));
    EXPECT_FALSE(looks_like_placeholder_names({"CD4", "CD8A", "ACTB"}));
}

}  // namespace
}  // namespace scpt
