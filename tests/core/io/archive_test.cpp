// Archives built at test time with the system's tar and python3's zipfile from the real 10x
// fixtures: what core/io/archive lists must be what the tools wrote, and damaged archives must be
// refused with InputError (never a crash, never a huge allocation).
#include "core/io/archive.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "core/io/gzip.hpp"
#include "core/io/tenx_archive.hpp"
#include "core/util/error.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

const char* kV2 = "fixtures/scanpy_10x/1.2.0/filtered_gene_bc_matrices/hg19_chr21";
const char* kV3 = "fixtures/seurat_testdata/cr3.0";

void run(const std::string& cmd) { ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd; }

// A folder whose path is longer than a tar header's 100-byte name field, holding the v3 fixture.
std::string long_folder(const test::TempDir& d) {
    const std::string rel = "outs/" + std::string(60, 'a') + "/" + std::string(60, 'b') + "/filtered_feature_bc_matrix";
    std::system(("mkdir -p '" + d.file(rel) + "' && cp '" + test::data_path(kV3) + "'/* '" + d.file(rel) + "'").c_str());
    return rel;
}

std::vector<std::string> sorted_paths(const std::vector<ArchiveMember>& ms) {
    std::vector<std::string> v;
    for (const auto& m : ms) v.push_back(m.path);
    std::sort(v.begin(), v.end());
    return v;
}

TEST(Archive, TarLongNamesInEveryFormatGiveTheFullPathAndBytes) {
    SCPT_REQUIRE_DATA(std::string(kV3) + "/matrix.mtx.gz");
    test::TempDir d;
    const std::string rel = long_folder(d);
    const std::string mtx = test::slurp(test::data_path(std::string(kV3) + "/matrix.mtx.gz"));
    for (const std::string format : {"gnu", "ustar", "pax"}) {
        SCOPED_TRACE(format);
        run("cd '" + d.path() + "' && tar --format=" + format + " -cf a.tar outs");
        const std::string tar = test::slurp(d.file("a.tar"));
        EXPECT_EQ(sniff_archive(tar), ArchiveKind::Tar);
        const auto members = list_tar(tar, "a.tar");
        EXPECT_EQ(sorted_paths(members), (std::vector<std::string>{rel + "/barcodes.tsv.gz", rel + "/features.tsv.gz",
                                                                   rel + "/matrix.mtx.gz"}));
        // The data, fed in awkward pieces, is the file's bytes.
        std::string got;
        TarParser p("a.tar", [&](const ArchiveMember& m) { return m.path == rel + "/matrix.mtx.gz"; },
                    [&](const ArchiveMember&, std::string_view piece) { got.append(piece); });
        for (size_t at = 0; at < tar.size(); at += 333) p.feed(std::string_view(tar).substr(at, 333));
        p.finish();
        EXPECT_EQ(got, mtx);
        const auto it = std::find_if(members.begin(), members.end(), [&](const ArchiveMember& m) { return m.path == rel + "/matrix.mtx.gz"; });
        ASSERT_NE(it, members.end());
        EXPECT_EQ(tar.substr(size_t(it->offset), size_t(it->size)), mtx);
    }
}

TEST(Archive, ZipWithDeflateAndStoredEntries) {
    SCPT_REQUIRE_DATA(std::string(kV2) + "/matrix.mtx");
    test::TempDir d;
    const std::string src = test::data_path(kV2);
    run("cd '" + d.path() + "' && python3 -c \"import zipfile,sys; z=zipfile.ZipFile('a.zip','w'); "
        "z.write(sys.argv[1]+'/matrix.mtx','hg19/matrix.mtx',zipfile.ZIP_DEFLATED); "
        "z.write(sys.argv[1]+'/genes.tsv','hg19/genes.tsv',zipfile.ZIP_DEFLATED); "
        "z.write(sys.argv[1]+'/barcodes.tsv','hg19/barcodes.tsv',zipfile.ZIP_STORED); z.close()\" '" + src + "'");
    const std::string zip = test::slurp(d.file("a.zip"));
    EXPECT_EQ(sniff_archive(zip), ArchiveKind::Zip);
    auto read_at = [&](int64_t off, int64_t n) { return zip.substr(size_t(off), size_t(n)); };
    const auto members = list_zip(int64_t(zip.size()), read_at, "a.zip");
    ASSERT_EQ(members.size(), 3u);
    for (const auto& m : members) {
        SCOPED_TRACE(m.path);
        const std::string want = test::slurp(src + "/" + m.path.substr(5));
        EXPECT_EQ(m.method, m.path == "hg19/barcodes.tsv" ? ArchiveMethod::Stored : ArchiveMethod::Deflate);
        EXPECT_EQ(m.size, int64_t(want.size()));
        const int64_t data = zip_data_offset(read_at(m.offset, 30), m.offset, int64_t(zip.size()), m.path, "a.zip");
        const std::string stored = zip.substr(size_t(data), size_t(m.stored_size));
        const std::string plain = m.method == ArchiveMethod::Deflate ? inflate_raw(stored, m.path, m.size) : stored;
        EXPECT_EQ(plain, want);
        EXPECT_EQ(crc32_update(0, plain), m.crc32);
        if (m.path == "hg19/genes.tsv") EXPECT_LT(m.stored_size, m.size / 2);  // really compressed
        if (m.method == ArchiveMethod::Deflate) {
            EXPECT_THROW(inflate_raw(stored.substr(0, stored.size() / 2), m.path, m.size), InputError);
        }
    }
    EXPECT_EQ(choose_tenx_members(sorted_paths(members), "a.zip").matrix, "hg19/matrix.mtx");
}

TEST(Archive, CutOrDamagedArchivesAreInputErrors) {
    SCPT_REQUIRE_DATA(std::string(kV2) + "/matrix.mtx");
    test::TempDir d;
    const std::string src = test::data_path(kV2);
    run("cd '" + src + "' && tar -cf '" + d.file("a.tar") + "' . && python3 -c \"import zipfile; z=zipfile.ZipFile('" +
        d.file("a.zip") + "','w',zipfile.ZIP_DEFLATED); [z.write(n) for n in ('matrix.mtx','genes.tsv','barcodes.tsv')]; z.close()\"");
    const std::string tar = test::slurp(d.file("a.tar")), zip = test::slurp(d.file("a.zip"));
    // A tar cut inside a member, and inside a header.
    for (size_t cut : {size_t(2000), size_t(512 + 100)}) {
        try {
            list_tar(std::string_view(tar).substr(0, cut), "a.tar");
            ADD_FAILURE() << "a tar cut at " << cut << " was accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("a.tar: is cut short"), std::string::npos) << e.what();
        }
    }
    // A flipped byte in a header.
    std::string bad = tar;
    bad[10] ^= 0x20;
    EXPECT_THROW(list_tar(bad, "a.tar"), InputError);
    // A zip without its end (the table of contents).
    const std::string cut = zip.substr(0, zip.size() - 30);
    try {
        list_zip(int64_t(cut.size()), [&](int64_t o, int64_t n) { return cut.substr(size_t(o), size_t(n)); }, "a.zip");
        ADD_FAILURE() << "a cut zip was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("a.zip: is damaged"), std::string::npos) << e.what();
    }
}

void set_tar_size(std::string& tar, const char* octal11) {
    std::copy(octal11, octal11 + 11, tar.begin() + 124);
    int64_t sum = 0;
    for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : uint8_t(tar[i]);
    char field[8];
    std::snprintf(field, sizeof field, "%06o", unsigned(sum));
    std::copy(field, field + 7, tar.begin() + 148);
}

TEST(Archive, AbsurdMemberSizesAreRefusedNotAllocated) {
    SCPT_REQUIRE_DATA(std::string(kV2) + "/matrix.mtx");
    test::TempDir d;
    const std::string src = test::data_path(kV2);
    run("cd '" + src + "' && tar -cf '" + d.file("a.tar") + "' matrix.mtx && python3 -c \"import zipfile; z=zipfile.ZipFile('" +
        d.file("a.zip") + "','w',zipfile.ZIP_DEFLATED); z.write('matrix.mtx'); z.close()\"");
    // A tar header declaring 8 GB for a member of a small archive: listing says it is cut short.
    std::string tar = test::slurp(d.file("a.tar"));
    set_tar_size(tar, "77777777777");
    bool asked = false;
    TarParser p("a.tar", [&](const ArchiveMember& m) {
        asked = true;
        EXPECT_EQ(m.size, 8589934591);
        EXPECT_THROW(check_member_size(m, "a.tar", Limits{}), InputError);
        return false;
    });
    p.feed(tar);
    EXPECT_TRUE(asked);
    EXPECT_THROW(p.finish(), InputError);
    // A zip directory declaring 4 GB decompressed: refused by the limit before any inflate.
    std::string zip = test::slurp(d.file("a.zip"));
    const size_t cd = zip.rfind("PK\1\2");
    ASSERT_NE(cd, std::string::npos);
    for (int i = 0; i < 4; ++i) zip[cd + 24 + size_t(i)] = char(0xf0 | (i ? 0xff : 0));
    const auto members = list_zip(int64_t(zip.size()), [&](int64_t o, int64_t n) { return zip.substr(size_t(o), size_t(n)); }, "a.zip");
    ASSERT_EQ(members.size(), 1u);
    EXPECT_GT(members[0].size, int64_t(4'000'000'000));
    try {
        check_member_size(members[0], "a.zip", Limits{});
        ADD_FAILURE() << "an absurd member size was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("a.zip: matrix.mtx: declares"), std::string::npos) << e.what();
    }
    // A directory that claims more entries than it can hold.
    std::string many = test::slurp(d.file("a.zip"));
    const size_t end = many.rfind("PK\5\6");
    many[end + 10] = char(0xfe);
    many[end + 8] = char(0xfe);
    EXPECT_THROW(list_zip(int64_t(many.size()), [&](int64_t o, int64_t n) { return many.substr(size_t(o), size_t(n)); }, "a.zip"),
                 InputError);
}

TEST(TenxArchive, PicksTheOnlyMatrixTheFilteredOneOrRefuses) {
    auto v3 = [](const std::string& dir) {
        return std::vector<std::string>{dir + "matrix.mtx.gz", dir + "features.tsv.gz", dir + "barcodes.tsv.gz"};
    };
    auto join = [](std::vector<std::string> a, const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    // One matrix, with macOS's copies around it: no note.
    auto one = choose_tenx_members(join(v3("m/"), {"__MACOSX/m/._matrix.mtx.gz", "m/._barcodes.tsv.gz"}), "a.zip");
    EXPECT_EQ(one.matrix, "m/matrix.mtx.gz");
    EXPECT_EQ(one.features, "m/features.tsv.gz");
    EXPECT_TRUE(one.note.empty());
    // Filtered and raw: filtered, said.
    auto both = choose_tenx_members(join(v3("outs/raw_feature_bc_matrix/"), v3("outs/filtered_feature_bc_matrix/")), "x.tar.gz");
    EXPECT_EQ(both.barcodes, "outs/filtered_feature_bc_matrix/barcodes.tsv.gz");
    EXPECT_NE(both.note.find("read the filtered one, outs/filtered_feature_bc_matrix/"), std::string::npos) << both.note;
    // GEO-style prefixes in one folder, v2 genes.tsv.
    auto geo = choose_tenx_members({"GSM1_matrix.mtx.gz", "GSM1_genes.tsv.gz", "GSM1_barcodes.tsv.gz"}, "GSE1_RAW.tar");
    EXPECT_EQ(geo.features, "GSM1_genes.tsv.gz");
    // Two genomes, both filtered: refused, naming both.
    try {
        choose_tenx_members(join(v3("filtered_gene_bc_matrices/hg19/"), v3("filtered_gene_bc_matrices/mm10/")), "v2.tar.gz");
        ADD_FAILURE() << "two filtered matrices were accepted";
    } catch (const InputError& e) {
        const std::string w = e.what();
        EXPECT_NE(w.find("v2.tar.gz: holds 2 matrices (filtered_gene_bc_matrices/hg19/, filtered_gene_bc_matrices/mm10/)"),
                  std::string::npos) << w;
        EXPECT_NE(w.find("unpack"), std::string::npos) << w;
    }
    EXPECT_THROW(choose_tenx_members({"m/matrix.mtx.gz", "m/barcodes.tsv.gz"}, "a.zip"), InputError);
    EXPECT_THROW(choose_tenx_members({"README", "possorted_genome_bam.bam"}, "a.zip"), InputError);
}

}  // namespace
}  // namespace scpt::io
