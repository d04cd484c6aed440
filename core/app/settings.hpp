// Options as key/value text, checked once for both front ends. The CLI turns each spec into a flag
// `--key` (tools/scpt/settings_flags.cpp); the page sends an object with the same keys, which the
// wasm binding turns into text (wasm/settings_js.cpp). So an option is declared in one place, its
// default, range and help included, and both front ends take it and refuse it alike.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace scpt::app {

struct SettingSpec {
    enum class Kind { Choice, Number, Whole, Flag };
    std::string key;                   // as the page sends it; the CLI's flag is --key
    Kind kind = Kind::Flag;
    std::string fallback;              // the default, as text ("" for a flag: false)
    std::vector<std::string> choices;  // Choice
    double lo = 0, hi = 0;             // Number, Whole: the accepted range
    std::string help;                  // one line, without the default (usage() adds it)
};

// key -> value as the user gave it: "0.05", "head", "true"/"false" for a flag.
using Settings = std::map<std::string, std::string>;

// "a number from 0 to 1", "one of head, full", "true or false": what the value must be.
std::string expected_value(const SettingSpec& spec);

// A number as a setting's text: "0.01", "500" (%.15g, so a default reads back as itself).
std::string number_text(double x);

// The help line with its default: "... (default 0.01)".
std::string usage(const SettingSpec& spec);

// Reads checked values out of `given`. A key no spec declares, or a value outside its spec, is an
// InputError naming the option as the user wrote it (`prefix` + key: "--alpha" on the command
// line, "alpha" on the page).
class SettingsReader {
public:
    SettingsReader(const std::vector<SettingSpec>& specs, const Settings& given, std::string prefix = "");
    bool given(const std::string& key) const;  // set by the user, not defaulted
    std::string choice(const std::string& key) const;
    double number(const std::string& key) const;
    int64_t whole(const std::string& key) const;
    bool flag(const std::string& key) const;

private:
    const SettingSpec& spec(const std::string& key, SettingSpec::Kind kind) const;
    const std::string& text(const SettingSpec& s) const;
    [[noreturn]] void refuse(const SettingSpec& s) const;
    const std::vector<SettingSpec>& specs_;
    const Settings& given_;
    std::string prefix_;
};

}  // namespace scpt::app
