// The CLI side of core/app/settings.hpp: every spec of a table becomes the flag --key, whose value
// is kept as text for the table's reader, so the command line and the page check an option alike
// (same ranges, same messages: "--alpha must be a number from 0 to 1 (it is 2)").
#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/app/settings.hpp"

namespace scpt::cli {

// Adds --key for each spec to `sub`; a given value lands in `given[key]` ("true" for a flag). CLI11
// does not check the values: app::SettingsReader does, with the page's messages.
void add_setting_flags(CLI::App* sub, const std::vector<app::SettingSpec>& specs, app::Settings& given);

// The specs of `all` named in `keys`, in that order (a command that takes some of a table's options).
std::vector<app::SettingSpec> settings_named(const std::vector<app::SettingSpec>& all,
                                             const std::vector<std::string>& keys);

}  // namespace scpt::cli
