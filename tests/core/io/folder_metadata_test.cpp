// A 10x folder's obs.tsv and labels.tsv, attached as both front ends attach them: plain or gzip,
// a column of the same name replaced (a second obs.tsv for the same matrix), labels as "label".
#include "core/io/folder_metadata.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

CellMatrix three_cells() {
    CellMatrix m;
    m.n_cells = 3;
    m.indptr = {0, 0, 0, 0};
    m.barcodes = {"AAAC-1", "AAAG-1", "AAAT-1"};
    return m;
}

TEST(FolderMetadata, ObsColumnsAndLabelsPlainOrGzip) {
    const std::string obs = "barcode\tcluster\tn_genes\nAAAC-1\tc1\t10\nAAAG-1\tc2\t20\nAAAT-1\tc1\t30\n";
    const std::string labels = "AAAC-1\tB\nAAAT-1\tT\n";
    for (bool gz : {false, true}) {
        CellMatrix m = three_cells();
        const std::string o = gz ? test::gzip_bytes(obs) : obs, l = gz ? test::gzip_bytes(labels) : labels;
        FolderMetadata f;
        f.has_obs = f.has_labels = true;
        f.obs = o;
        f.labels = l;
        std::vector<std::string> notes;
        attach_folder_metadata(m, f, Limits{}, &notes);
        const ObsColumn* cluster = m.find_obs("cluster");
        ASSERT_NE(cluster, nullptr) << (gz ? "gzip" : "plain");
        EXPECT_EQ(cluster->text(1), "c2");
        ASSERT_NE(m.find_obs("n_genes"), nullptr);
        EXPECT_TRUE(m.find_obs("n_genes")->is_numeric());
        const ObsColumn* label = m.find_obs("label");
        ASSERT_NE(label, nullptr);
        EXPECT_EQ(label->text(0), "B");
        EXPECT_EQ(label->text(1), "");
        EXPECT_EQ(label->text(2), "T");
    }
}

TEST(FolderMetadata, ASecondTableReplacesColumnsOfTheSameName) {
    CellMatrix m = three_cells();
    const std::string first = "barcode\tcluster\nAAAC-1\ta\nAAAG-1\ta\nAAAT-1\ta\n";
    const std::string second = "barcode\tcluster\nAAAC-1\tb\nAAAG-1\tb\nAAAT-1\tb\n";
    FolderMetadata f;
    f.has_obs = true;
    f.obs = first;
    attach_folder_metadata(m, f, Limits{}, nullptr);
    f.obs = second;
    attach_folder_metadata(m, f, Limits{}, nullptr);
    ASSERT_EQ(m.obs.size(), 1u);
    EXPECT_EQ(m.obs[0].text(0), "b");
}

TEST(FolderMetadata, LabelsOfOtherCellsAreANoteAndABrokenTableAnError) {
    CellMatrix m = three_cells();
    FolderMetadata f;
    f.has_labels = true;
    const std::string strangers = "TTTT-1\tB\n";
    f.labels = strangers;
    std::vector<std::string> notes;
    attach_folder_metadata(m, f, Limits{}, &notes);
    EXPECT_EQ(m.find_obs("label"), nullptr);
    ASSERT_FALSE(notes.empty());
    EXPECT_NE(notes.back().find("not used"), std::string::npos) << notes.back();

    FolderMetadata bad;
    bad.has_obs = true;
    const std::string cut = test::gzip_bytes("barcode\tcluster\nAAAC-1\ta\n").substr(0, 12);
    bad.obs = cut;
    EXPECT_THROW(attach_folder_metadata(m, bad, Limits{}, nullptr), InputError);
}

}  // namespace
}  // namespace scpt::io
