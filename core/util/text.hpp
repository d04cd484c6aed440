// Small text helpers shared by the text parsers (Matrix Market, 10x tsv files, CSV/TSV, labels) and
// the gene-name code: line splitting that tolerates \r\n, field splitting, trimming, fast number parsing.
// Number parsing never depends on the C locale except in the rare fallback (strtod), which the
// tools and the wasm module run in the "C" locale.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scpt {

// Calls fn(line, line_number) for every line of `text` (1-based numbers), without the line
// terminator (\n or \r\n). A final line without terminator is included; a final empty line is not.
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
    int64_t number = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        fn(line, ++number);
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
}

std::string_view trim(std::string_view s);
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);

// Splits on one separator character, keeping empty fields ("a,,b" -> 3 fields).
void split(std::string_view line, char sep, std::vector<std::string_view>& out);
// Splits one line of a delimited file where fields may be quoted ("a,b" or "say ""hi"""); quotes are
// removed. Returns false on an unterminated quote.
bool split_quoted(std::string_view line, char sep, std::vector<std::string>& out);

// Parses an unsigned decimal integer at p (no sign, no spaces). Returns the end, or nullptr when
// there is no digit or the value exceeds 2^62.
const char* parse_uint(const char* p, const char* end, uint64_t& out);

// Parses a decimal floating-point number at p ("12", "-0.5", "1e-3", "2.177E+01", "nan", "inf").
// Returns the end, or nullptr when p does not start a number. Common forms take an exact fast path
// (Clinger: mantissa < 2^53, |exponent| <= 22); others fall back to strtod.
const char* parse_double(const char* p, const char* end, double& out);

// Whole-token parse: true when all of s (after trimming) is one number.
bool parse_number(std::string_view s, double& out);

// Quotes text from a file or argument for a message: printable ASCII and valid UTF-8 kept, every
// other byte (controls, binary noise) shown as \xNN, cut to 40 characters ending in "...".
std::string quote(std::string_view s);

}  // namespace scpt
