#include "core/util/text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/util/rng.hpp"

namespace scpt {
namespace {

double via_fast(const std::string& s, bool* ok) {
    double v = -12345;
    const char* e = parse_double(s.data(), s.data() + s.size(), v);
    *ok = e == s.data() + s.size();
    return v;
}

TEST(ParseDouble, AgreesWithStrtodOnTypicalMatrixValues) {
    const char* cases[] = {"0", "1", "17", "-3", "2.177", "0.000123", "1e-3", "2.5E+04", "3.4028235e38", "-0.0",
                           "123456789012345678901234", "1.7976931348623157e308", "4.9e-324", "0.1", "7.47", "+5"};
    for (const char* c : cases) {
        bool ok;
        double v = via_fast(c, &ok);
        EXPECT_TRUE(ok) << c;
        EXPECT_EQ(v, std::strtod(c, nullptr)) << c;
    }
}

TEST(ParseDouble, RandomDecimalsRoundTrip) {
    Rng rng(7);
    char buf[64];
    for (int i = 0; i < 20000; ++i) {
        double x = (rng.uniform() - 0.3) * std::pow(10.0, double(int(rng.below(20)) - 8));
        std::snprintf(buf, sizeof buf, i % 2 ? "%.9g" : "%.17g", x);
        bool ok;
        double v = via_fast(buf, &ok);
        ASSERT_TRUE(ok) << buf;
        ASSERT_EQ(v, std::strtod(buf, nullptr)) << buf;
    }
}

TEST(ParseDouble, RejectsNonNumbers) {
    for (const char* c : {"", "abc", "NA", "-", ".", "0x1p3"}) {
        double v;
        const char* e = parse_double(c, c + std::strlen(c), v);
        EXPECT_TRUE(e == nullptr || e != c + std::strlen(c)) << c;
    }
    double v;
    EXPECT_FALSE(parse_number("12abc", v));
    EXPECT_TRUE(parse_number(" 12 ", v));
    EXPECT_EQ(v, 12);
}

TEST(SplitQuoted, HandlesRStyleQuotes) {
    std::vector<std::string> f;
    ASSERT_TRUE(split_quoted("\"gene\",\"a,b\",\"say \"\"hi\"\"\",3", ',', f));
    ASSERT_EQ(f.size(), 4u);
    EXPECT_EQ(f[1], "a,b");
    EXPECT_EQ(f[2], "say \"hi\"");
    EXPECT_EQ(f[3], "3");
    EXPECT_FALSE(split_quoted("\"open,1", ',', f));
}

TEST(ForEachLine, CrLfAndMissingFinalNewline) {
    std::vector<std::string> lines;
    for_each_line("a\r\nb\nc", [&](std::string_view l, int64_t) { lines.emplace_back(l); });
    EXPECT_EQ(lines, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Quote, EscapesBytesThatAreNotPrintableText) {
    EXPECT_EQ(quote("CD4 T"), "'CD4 T'");
    EXPECT_EQ(quote(std::string("a\0b\xff\x1b[2J", 8)), "'a\\x00b\\xff\\x1b[2J'");
    EXPECT_EQ(quote("na\xc3\xafve \xe2\x80\x93 T"), "'na\xc3\xafve \xe2\x80\x93 T'");  // valid UTF-8 kept
    EXPECT_EQ(quote("\xc3(\xed\xa0\x80\xc2\x85"), "'\\xc3(\\xed\\xa0\\x80\\xc2\\x85'");  // broken, surrogate, C1 control
}

TEST(Quote, CutsLongTextTo40Characters) {
    EXPECT_EQ(quote(std::string(40, 'a')), "'" + std::string(40, 'a') + "'");
    EXPECT_EQ(quote(std::string(41, 'a')), "'" + std::string(37, 'a') + "...'");
    std::string nine;  // an escaped byte is 4 characters: 9 of them and "..." fill the 40
    for (int i = 0; i < 9; ++i) nine += "\\x01";
    EXPECT_EQ(quote(std::string(100, '\x01')), "'" + nine + "...'");
}

}  // namespace
}  // namespace scpt
