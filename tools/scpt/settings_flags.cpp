#include "tools/scpt/settings_flags.hpp"

#include <stdexcept>

namespace scpt::cli {

void add_setting_flags(CLI::App* sub, const std::vector<app::SettingSpec>& specs, app::Settings& given) {
    for (const auto& s : specs) {
        const std::string flag = "--" + s.key, key = s.key;
        if (s.kind == app::SettingSpec::Kind::Flag) {
            sub->add_flag_callback(flag, [&given, key] { given[key] = "true"; }, app::usage(s));
        } else {
            sub->add_option_function<std::string>(flag, [&given, key](const std::string& v) { given[key] = v; },
                                                  app::usage(s))
                ->type_name(s.kind == app::SettingSpec::Kind::Choice ? "TEXT" : "NUMBER");
        }
    }
}

std::vector<app::SettingSpec> settings_named(const std::vector<app::SettingSpec>& all,
                                             const std::vector<std::string>& keys) {
    std::vector<app::SettingSpec> out;
    for (const auto& k : keys) {
        bool found = false;
        for (const auto& s : all)
            if (s.key == k) {
                out.push_back(s);
                found = true;
            }
        if (!found) throw std::logic_error("no setting " + k);
    }
    return out;
}

}  // namespace scpt::cli
