#include "core/util/text.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace scpt {

std::string_view trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
    return s.substr(b, e - b);
}

std::string to_upper(std::string_view s) {
    std::string r(s);
    for (char& c : r)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return r;
}

std::string to_lower(std::string_view s) {
    std::string r(s);
    for (char& c : r)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return r;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

void split(std::string_view line, char sep, std::vector<std::string_view>& out) {
    out.clear();
    size_t pos = 0;
    for (;;) {
        size_t at = line.find(sep, pos);
        if (at == std::string_view::npos) {
            out.push_back(line.substr(pos));
            return;
        }
        out.push_back(line.substr(pos, at - pos));
        pos = at + 1;
    }
}

bool split_quoted(std::string_view line, char sep, std::vector<std::string>& out) {
    out.clear();
    std::string field;
    size_t i = 0;
    const size_t n = line.size();
    for (;;) {
        field.clear();
        if (i < n && line[i] == '"') {
            ++i;
            for (;;) {
                if (i >= n) return false;
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        field.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field.push_back(line[i++]);
            }
            // Text between the closing quote and the separator is kept (lenient, like R's reader).
            while (i < n && line[i] != sep) field.push_back(line[i++]);
        } else {
            while (i < n && line[i] != sep) field.push_back(line[i++]);
        }
        out.push_back(field);
        if (i >= n) return true;
        ++i;  // the separator
    }
}

const char* parse_uint(const char* p, const char* end, uint64_t& out) {
    if (p >= end || unsigned(*p - '0') > 9) return nullptr;
    uint64_t v = 0;
    while (p < end && unsigned(*p - '0') <= 9) {
        v = v * 10 + unsigned(*p - '0');
        if (v > (uint64_t(1) << 62)) return nullptr;
        ++p;
    }
    out = v;
    return p;
}

namespace {
const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

const char* slow_double(const char* p, const char* end, double& out) {
    char buf[128];
    size_t n = size_t(end - p);
    if (n > sizeof buf - 1) n = sizeof buf - 1;
    std::memcpy(buf, p, n);
    buf[n] = 0;
    char* stop = nullptr;
    out = std::strtod(buf, &stop);
    if (stop == buf) return nullptr;
    // Reject hexadecimal floats, which strtod accepts but no expression file means.
    for (char* q = buf; q < stop; ++q)
        if (*q == 'x' || *q == 'X') return nullptr;
    return p + (stop - buf);
}
}  // namespace

const char* parse_double(const char* p, const char* end, double& out) {
    const char* start = p;
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
    uint64_t mant = 0;
    int digits = 0, exp10 = 0;
    bool any = false;
    while (p < end && unsigned(*p - '0') <= 9) {
        any = true;
        if (digits < 19) {
            if (mant || *p != '0') ++digits;
            mant = mant * 10 + unsigned(*p - '0');
        } else {
            ++exp10;
        }
        ++p;
    }
    if (p < end && *p == '.') {
        ++p;
        while (p < end && unsigned(*p - '0') <= 9) {
            any = true;
            if (digits < 19) {
                if (mant || *p != '0') ++digits;
                mant = mant * 10 + unsigned(*p - '0');
                --exp10;
            }
            ++p;
        }
    }
    if (!any) return slow_double(start, end, out);  // nan, inf, or not a number
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char* q = p + 1;
        bool eneg = false;
        if (q < end && (*q == '-' || *q == '+')) eneg = *q++ == '-';
        if (q < end && unsigned(*q - '0') <= 9) {
            int e = 0;
            while (q < end && unsigned(*q - '0') <= 9) {
                if (e < 100000) e = e * 10 + (*q - '0');
                ++q;
            }
            exp10 += eneg ? -e : e;
            p = q;
        }
    }
    if (mant < (uint64_t(1) << 53) && exp10 >= -22 && exp10 <= 22) {
        double v = double(mant);
        v = exp10 < 0 ? v / kPow10[-exp10] : v * kPow10[exp10];
        out = neg ? -v : v;
        return p;
    }
    if (mant == 0) {
        out = neg ? -0.0 : 0.0;
        return p;
    }
    const char* e = slow_double(start, end, out);
    return e ? e : nullptr;
}

bool parse_number(std::string_view s, double& out) {
    s = trim(s);
    if (s.empty()) return false;
    const char* e = parse_double(s.data(), s.data() + s.size(), out);
    return e == s.data() + s.size();
}

namespace {
// Bytes of the valid UTF-8 sequence that starts s[i] and is a printable character, or 0 (an
// invalid sequence, or a C1 control U+0080..U+009F, which terminals take as commands).
size_t printable_utf8_length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return i + k < s.size() ? (unsigned char)(s[i + k]) : 0u; };
    auto cont = [&](size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
    const unsigned c = byte(0);
    if (c >= 0xC2 && c <= 0xDF) return cont(1) && !(c == 0xC2 && byte(1) < 0xA0) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;  // no overlongs, no surrogates
        return byte(1) >= lo && byte(1) <= hi && cont(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return byte(1) >= lo && byte(1) <= hi && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}
}  // namespace

std::string quote(std::string_view s) {
    // Pieces of the shown text: a printable character (1-4 bytes) or a byte escaped as \xNN.
    constexpr size_t kMax = 40;
    std::vector<std::string> parts;
    size_t shown = 0;
    bool cut = false;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = (unsigned char)s[i];
        std::string part;
        size_t bytes = 1;
        if (c >= 0x20 && c < 0x7f) part.assign(1, char(c));
        else if (size_t n = c >= 0x80 ? printable_utf8_length(s, i) : 0) part.assign(s.substr(i, n)), bytes = n;
        else {
            static const char* hex = "0123456789abcdef";
            part = std::string("\\x") + hex[c >> 4] + hex[c & 15];
        }
        const size_t width = part[0] == '\\' && part.size() == 4 ? 4 : 1;
        if (shown + width > kMax) { cut = true; break; }
        parts.push_back(std::move(part));
        shown += width;
        i += bytes;
    }
    if (cut) {  // room for "...": drop pieces from the end until it fits
        while (!parts.empty() && shown + 3 > kMax) {
            shown -= parts.back()[0] == '\\' && parts.back().size() == 4 ? 4 : 1;
            parts.pop_back();
        }
    }
    std::string out = "'";
    for (const auto& p : parts) out += p;
    return out + (cut ? "...'" : "'");
}

}  // namespace scpt
