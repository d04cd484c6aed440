#include "core/io/gene_tables.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt {
namespace {

const char* kOrth = "ref/scPretrain_orthologs_one2one.csv";

TEST(Orthologs, ScPretrainTableLayout) {
    SCPT_REQUIRE_DATA(kOrth);
    std::string bytes = test::slurp(test::data_path(kOrth));
    OrthologTable t = io::parse_orthologs(bytes, "orthologs.csv");
    // Every data row with both names: count them independently.
    size_t rows = 0;
    std::istringstream in(bytes);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::istringstream ls(line);
        std::string x;
        while (std::getline(ls, x, ',')) f.push_back(x);
        if (f.size() >= 4 && !f[2].empty() && !f[3].empty()) ++rows;
    }
    EXPECT_LE(t.size(), rows);
    EXPECT_GE(t.size() + 50, rows);  // only repeated names are dropped
    EXPECT_GT(t.size(), 15000u);
    ASSERT_NE(t.mouse_of("ARNT"), nullptr);
    EXPECT_EQ(*t.mouse_of("ARNT"), "Arnt");
    EXPECT_EQ(*t.mouse_of("arnt"), "Arnt");  // case-insensitive
    ASSERT_NE(t.human_of("Fktn"), nullptr);
    EXPECT_EQ(*t.human_of("FKTN"), "FKTN");
    EXPECT_EQ(t.mouse_of("NOT_A_GENE"), nullptr);
}

TEST(Orthologs, PlainTwoColumnTsvAndEnsemblTable) {
    OrthologTable t = io::parse_orthologs("human\tmouse\nCD74\tCd74\nHLA-DRA\tH2-Ea\n", "pairs.tsv");
    EXPECT_EQ(t.size(), 2u);
    EXPECT_EQ(*t.mouse_of("HLA-DRA"), "H2-Ea");
    OrthologTable u = io::parse_orthologs("CD74\tCd74\nACTB\tActb\n", "noheader.tsv");
    EXPECT_EQ(u.size(), 2u);
    const char* ens = "ref/Ensembl105_Human2Mouse_Genes.csv";
    SCPT_REQUIRE_DATA(ens);
    OrthologTable e = io::parse_orthologs(test::slurp(test::data_path(ens)), ens);  // rows with no mouse gene skipped
    ASSERT_NE(e.mouse_of("MT-ND1"), nullptr);
    EXPECT_EQ(*e.mouse_of("MT-ND1"), "mt-Nd1");
    EXPECT_EQ(e.mouse_of("MT-TF"), nullptr);
}

TEST(Orthologs, NotATableIsAnError) {
    EXPECT_THROW(io::parse_orthologs("a\tb\tc\n1\t2\t3\n", "x.tsv"), InputError);
    EXPECT_THROW(io::parse_orthologs("", "x.tsv"), InputError);
}

TEST(GeneIdTable, Gencode) {
    const char* p = "ref/GENCODEv44_Gene_id2name.csv";
    SCPT_REQUIRE_DATA(p);
    GeneIdTable t = io::parse_gene_id_table(test::slurp(test::data_path(p)), p);
    ASSERT_NE(t.symbol_of("ENSG00000223972"), nullptr);
    EXPECT_EQ(*t.symbol_of("ENSG00000223972.5"), "DDX11L1");  // version suffix ignored
    ASSERT_NE(t.id_of("ddx11l1"), nullptr);
    EXPECT_EQ(*t.id_of("DDX11L1"), "ENSG00000223972");
    EXPECT_THROW(io::parse_gene_id_table("ENSG1,X\nnot_an_id,Y\n", "bad.csv"), InputError);
}

}  // namespace
}  // namespace scpt
