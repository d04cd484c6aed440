// A 10x folder as users download it: .tar.gz, .tgz, .tar or .zip (built at test time from the real
// fixtures) reads as the folder itself, through read_input and through `scpt info`; an archive with
// filtered and raw matrices reads the filtered one and says so.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"
#include "tests/tools/cli_run.hpp"
#include "tools/native/input.hpp"

namespace scpt::native {
namespace {

const std::string kV3 = "fixtures/seurat_testdata/cr3.0";                                   // 5 cells, 3 genes
const std::string kV3b = "fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix";             // another, larger
const std::string kV2 = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21";    // plain text

void run(const std::string& cmd) { ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd; }

// d/outs/<name> holding a copy of the fixture folder `rel`.
void place(const test::TempDir& d, const std::string& rel, const std::string& name) {
    run("mkdir -p '" + d.file("outs/" + name) + "' && cp '" + test::data_path(rel) + "'/* '" + d.file("outs/" + name) + "'");
}

void zip_folder(const test::TempDir& d, const std::string& zip, const std::string& folder) {
    run("cd '" + d.path() + "' && python3 -c \"import zipfile,os,sys; z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\n"
        "for r,_,fs in os.walk(sys.argv[2]):\n  [z.write(os.path.join(r,f)) for f in fs]\nz.close()\" '" + zip + "' '" + folder + "'");
}

TEST(ArchiveInput, TarGzTgzTarAndZipReadAsTheFolder) {
    SCPT_REQUIRE_DATA(kV3 + "/matrix.mtx.gz");
    SCPT_REQUIRE_DATA(kV2 + "/matrix.mtx");
    for (const std::string& rel : {kV3, kV2}) {
        SCOPED_TRACE(rel);
        test::TempDir d;
        place(d, rel, "filtered_feature_bc_matrix");
        run("cd '" + d.path() + "' && tar -czf a.tar.gz outs && cp a.tar.gz a.tgz && tar -cf a.tar outs");
        zip_folder(d, "a.zip", "outs");
        io::InputFormat f = io::InputFormat::Unknown;
        const CellMatrix folder = read_input(test::data_path(rel));
        for (const char* name : {"a.tar.gz", "a.tgz", "a.tar", "a.zip"}) {
            SCOPED_TRACE(name);
            const CellMatrix m = read_input(d.file(name), {}, &f);
            EXPECT_EQ(f, io::InputFormat::TenxFolder);
            test::expect_same_matrix(folder, m);
            EXPECT_EQ(m.notes.size(), folder.notes.size());  // one matrix: nothing more to say
        }
    }
}

TEST(ArchiveInput, CutArchivesAreRefusedNamingThem) {
    SCPT_REQUIRE_DATA(kV2 + "/matrix.mtx");
    test::TempDir d;
    place(d, kV2, "m");
    zip_folder(d, "a.zip", "outs");
    run("cd '" + d.path() + "' && tar -czf a.tar.gz outs && tar -cf a.tar outs && head -c 3000 a.tar > cut.tar && "
        "for f in a.tar.gz a.zip; do head -c $(( $(stat -c%s $f) / 2 )) $f > cut.${f#a.}; done");
    for (const char* name : {"cut.tar", "cut.tar.gz", "cut.zip"}) {
        try {
            read_input(d.file(name));
            ADD_FAILURE() << name << " was accepted";
        } catch (const InputError& e) {
            const std::string w = e.what();
            EXPECT_EQ(w.rfind(d.file(name) + ": is ", 0), 0u) << w;
            EXPECT_TRUE(w.find("cut short") != std::string::npos || w.find("damaged") != std::string::npos) << w;
        }
    }
}

TEST(ArchiveInput, ScptInfoOnArchivesMatchesTheFolderAndPicksFiltered) {
    SCPT_REQUIRE_DATA(kV3 + "/matrix.mtx.gz");
    SCPT_REQUIRE_DATA(kV3b + "/matrix.mtx.gz");
    test::TempDir d;
    place(d, kV3, "filtered_feature_bc_matrix");
    run("cd '" + d.path() + "' && tar -czf one.tar.gz outs");
    zip_folder(d, "one.zip", "outs");
    auto info = [&](const std::string& path) {
        const test::CliResult r = test::run_scpt("info " + test::quoted(path), d);
        EXPECT_EQ(r.status, 0) << r.err;
        return r.status == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
    };
    const auto folder = info(test::data_path(kV3));
    for (const char* name : {"one.tar.gz", "one.zip"}) {
        const auto j = info(d.file(name));
        EXPECT_EQ(j["cells"], folder["cells"]) << name;
        EXPECT_EQ(j["genes"], folder["genes"]) << name;
        EXPECT_EQ(j["nnz"], folder["nnz"]) << name;
        EXPECT_EQ(j["format"], "10x_folder") << name;
    }
    // Filtered and raw (here a bigger matrix standing in for raw): the filtered one, said.
    place(d, kV3b, "raw_feature_bc_matrix");
    run("cd '" + d.path() + "' && tar -czf both.tar.gz outs");
    const auto both = info(d.file("both.tar.gz"));
    EXPECT_EQ(both["cells"], folder["cells"]);
    ASSERT_FALSE(both["notes"].empty());
    EXPECT_NE(both["notes"][0].get<std::string>().find("holds 2 matrices (outs/filtered_feature_bc_matrix/, outs/raw_feature_bc_matrix/); "
                                                        "read the filtered one, outs/filtered_feature_bc_matrix/"),
              std::string::npos)
        << both["notes"];
    // Two matrices, neither filtered: refused with exit 2, listing them.
    run("cd '" + d.path() + "' && mv outs/filtered_feature_bc_matrix outs/sample_a && tar -czf two.tar.gz outs");
    const test::CliResult r = test::run_scpt("info " + test::quoted(d.file("two.tar.gz")), d);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("holds 2 matrices (outs/raw_feature_bc_matrix/, outs/sample_a/)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace scpt::native
