// Damaged inputs (cut anywhere, bytes flipped) must give InputError or a valid matrix, never a
// crash, a hang or another exception. Mutations come from a fixed seed, on real files.
#include <gtest/gtest.h>

#include "core/io/delimited.hpp"
#include "core/io/labels.hpp"
#include "core/io/mtx.hpp"
#include "core/io/tenx_folder.hpp"
#include "core/util/error.hpp"
#include "core/util/rng.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

std::string mutate(const std::string& in, Rng& rng) {
    std::string s = in;
    switch (rng.below(3)) {
        case 0: s.resize(size_t(rng.below(s.size() + 1))); break;  // cut
        case 1:
            for (int k = 0; k < 4; ++k) s[size_t(rng.below(s.size()))] = char(rng.below(256));  // flip bytes
            break;
        default: {
            const char* junk[] = {"\n", " ", "-1", "1e400", "\t", ",", "\"", "99999999999", "nan"};
            s.insert(size_t(rng.below(s.size())), junk[rng.below(9)]);
        }
    }
    return s;
}

template <class Fn>
void survive(const std::string& original, int rounds, Fn&& parse) {
    Rng rng(42);
    int errors = 0;
    for (int i = 0; i < rounds; ++i) {
        std::string s = mutate(original, rng);
        try {
            parse(s);
        } catch (const InputError&) {
            ++errors;
        }
    }
    EXPECT_GT(errors, 0);  // some mutations must be caught
}

TEST(Robustness, MatrixMarket) {
    const char* p = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21/matrix.mtx";
    SCPT_REQUIRE_DATA(p);
    std::string text = test::slurp(test::data_path(p));
    int ok = 0;
    survive(text, 400, [&](const std::string& s) {
        CellMatrix m = read_mtx(s, "m");
        m.gene_symbols.assign(size_t(m.n_genes), "g");
        m.gene_ids = m.gene_symbols;
        m.barcodes.assign(size_t(m.n_cells), "c");
        m.validate("m");  // whatever parses is structurally sound
        ++ok;
    });
    EXPECT_GT(ok, 0);
    std::string gz = test::gzip_bytes(text);
    survive(gz, 200, [](const std::string& s) { read_mtx(s, "m.gz"); });
}

TEST(Robustness, TenxFolderFeaturesAndBarcodes) {
    const std::string d = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21/";
    SCPT_REQUIRE_DATA(d + "matrix.mtx");
    std::string m = test::slurp(test::data_path(d + "matrix.mtx")), f = test::slurp(test::data_path(d + "genes.tsv")),
                b = test::slurp(test::data_path(d + "barcodes.tsv"));
    survive(f, 200, [&](const std::string& s) { read_tenx_folder({m, s, b}); });
    survive(b, 200, [&](const std::string& s) { read_tenx_folder({m, f, s}); });
}

TEST(Robustness, DelimitedAndLabels) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/labels.tsv");
    std::string csv = "gene,c1,c2,c3\nCD3E,1,0,2\nMS4A1,0,5,1\nLYZ,3,3,0\n";
    survive(csv, 400, [](const std::string& s) { read_delimited(s, "x.csv"); });
    std::string labels = test::slurp(test::data_path("pbmc3k_seurat_labels/labels.tsv")).substr(0, 2000);
    survive(labels, 300, [](const std::string& s) { parse_labels(s, "l.tsv"); });
}

}  // namespace
}  // namespace scpt::io
