#include "core/app/settings.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/util/error.hpp"

namespace scpt::app {

std::string number_text(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", x);
    return buf;
}

namespace {

// The whole text is one finite number (strtod accepts a prefix; "0.5x" and "" are refused).
bool parse_number(const std::string& t, double* x) {
    if (t.empty() || std::isspace(static_cast<unsigned char>(t[0]))) return false;
    char* end = nullptr;
    errno = 0;
    *x = std::strtod(t.c_str(), &end);
    return errno == 0 && end == t.c_str() + t.size() && std::isfinite(*x);
}

}  // namespace

std::string expected_value(const SettingSpec& s) {
    switch (s.kind) {
    case SettingSpec::Kind::Choice: {
        std::string out = "one of ";
        for (size_t i = 0; i < s.choices.size(); ++i) out += (i ? ", " : "") + s.choices[i];
        return out;
    }
    case SettingSpec::Kind::Number: return "a number from " + number_text(s.lo) + " to " + number_text(s.hi);
    case SettingSpec::Kind::Whole: return "a whole number from " + number_text(s.lo) + " to " + number_text(s.hi);
    case SettingSpec::Kind::Flag: return "true or false";
    }
    return "";
}

std::string usage(const SettingSpec& s) {
    if (s.kind == SettingSpec::Kind::Flag || s.fallback.empty()) return s.help;
    return s.help + " (default " + s.fallback + ")";
}

SettingsReader::SettingsReader(const std::vector<SettingSpec>& specs, const Settings& given, std::string prefix)
    : specs_(specs), given_(given), prefix_(std::move(prefix)) {
    for (const auto& [key, value] : given_) {
        bool known = false;
        for (const auto& s : specs_) known = known || s.key == key;
        if (!known) throw InputError("unknown option " + prefix_ + key);
    }
}

bool SettingsReader::given(const std::string& key) const { return given_.count(key) > 0; }

const SettingSpec& SettingsReader::spec(const std::string& key, SettingSpec::Kind kind) const {
    for (const auto& s : specs_)
        if (s.key == key) {
            if (s.kind != kind) throw std::logic_error("setting " + key + " read as another kind");
            return s;
        }
    throw std::logic_error("no setting " + key);
}

const std::string& SettingsReader::text(const SettingSpec& s) const {
    auto it = given_.find(s.key);
    return it == given_.end() ? s.fallback : it->second;
}

void SettingsReader::refuse(const SettingSpec& s) const {
    throw InputError(prefix_ + s.key + " must be " + expected_value(s) + " (it is " + text(s) + ")");
}

std::string SettingsReader::choice(const std::string& key) const {
    const SettingSpec& s = spec(key, SettingSpec::Kind::Choice);
    const std::string& t = text(s);
    for (const auto& c : s.choices)
        if (c == t) return t;
    refuse(s);
}

double SettingsReader::number(const std::string& key) const {
    const SettingSpec& s = spec(key, SettingSpec::Kind::Number);
    double x = 0;
    if (!parse_number(text(s), &x) || x < s.lo || x > s.hi) refuse(s);
    return x;
}

int64_t SettingsReader::whole(const std::string& key) const {
    const SettingSpec& s = spec(key, SettingSpec::Kind::Whole);
    double x = 0;
    if (!parse_number(text(s), &x) || x != std::floor(x) || x < s.lo || x > s.hi) refuse(s);
    return int64_t(x);
}

bool SettingsReader::flag(const std::string& key) const {
    const SettingSpec& s = spec(key, SettingSpec::Kind::Flag);
    const std::string& t = text(s);
    if (t.empty() || t == "false") return false;
    if (t == "true") return true;
    refuse(s);
}

}  // namespace scpt::app
