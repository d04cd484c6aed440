#include "core/io/line_stream.hpp"

#include <gtest/gtest.h>

#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "core/util/rng.hpp"
#include "tests/io_test_util.hpp"

namespace scpt::io {
namespace {

std::vector<std::pair<std::string, int64_t>> lines_of(std::string_view bytes, Limits lim = {}) {
    std::vector<std::pair<std::string, int64_t>> out;
    for_each_text_line(bytes, "t.tsv", lim, [&](std::string_view l, int64_t n) { out.emplace_back(l, n); });
    return out;
}

TEST(LineStream, SameLinesAsForEachLineForAnySplitAndGzip) {
    SCPT_REQUIRE_DATA("pbmc3k_seurat_labels/labels.tsv");
    std::string text = test::slurp(test::data_path("pbmc3k_seurat_labels/labels.tsv"));
    text.insert(100, "\r\n\n");  // an empty line and a CRLF among real lines
    std::vector<std::pair<std::string, int64_t>> want;
    for_each_line(text, [&](std::string_view l, int64_t n) { want.emplace_back(l, n); });
    EXPECT_EQ(lines_of(text), want);
    EXPECT_EQ(lines_of(test::gzip_bytes(text)), want);
    Rng rng(3);
    for (int round = 0; round < 20; ++round) {  // chunks split anywhere, even inside "\r\n"
        LineSplitter s("t.tsv", 1 << 20);
        std::vector<std::pair<std::string, int64_t>> got;
        LineFn fn = [&](std::string_view l, int64_t n) { got.emplace_back(l, n); };
        for (size_t pos = 0; pos < text.size();) {
            size_t n = size_t(rng.below(200));
            s.feed(std::string_view(text).substr(pos, n), fn);
            pos += n;
        }
        s.finish(fn);
        EXPECT_EQ(got, want);
    }
}

TEST(LineStream, RefusesAnEndlessLineWithoutHoldingIt) {
    Limits lim;
    lim.max_line_bytes = 1000;
    std::string text = "a\tb\n" + std::string(5000, '0');
    try {
        lines_of(text, lim);
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("t.tsv: line 2 is longer than 1000 bytes"), std::string::npos) << e.what();
    }
    EXPECT_THROW(lines_of(test::gzip_bytes(text), lim), InputError);
    std::string ok = "a\n" + std::string(1000, 'x') + "\n";  // exactly at the limit is fine
    EXPECT_EQ(lines_of(ok, lim).size(), 2u);
}

TEST(LineStream, InflateLimitAndCutGzip) {
    Limits lim;
    lim.max_inflated_bytes = 100;
    std::string gz = test::gzip_bytes(std::string(1000, '\n'));
    EXPECT_THROW(lines_of(gz, lim), InputError);
    EXPECT_THROW(lines_of(gz.substr(0, gz.size() / 2)), InputError);
}

}  // namespace
}  // namespace scpt::io
