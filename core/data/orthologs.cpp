#include "core/data/orthologs.hpp"

#include "core/util/text.hpp"

namespace scpt {

const std::string* OrthologTable::mouse_of(std::string_view human) const {
    auto it = by_human_.find(to_upper(human));
    return it == by_human_.end() ? nullptr : &pairs_[it->second].second;
}

const std::string* OrthologTable::human_of(std::string_view mouse) const {
    auto it = by_mouse_.find(to_upper(mouse));
    return it == by_mouse_.end() ? nullptr : &pairs_[it->second].first;
}

void OrthologTable::add(std::string human, std::string mouse) {
    std::string hu = to_upper(human), mu = to_upper(mouse);
    if (by_human_.count(hu) || by_mouse_.count(mu)) {
        ++repeats_;
        return;
    }
    by_human_.emplace(std::move(hu), pairs_.size());
    by_mouse_.emplace(std::move(mu), pairs_.size());
    pairs_.emplace_back(std::move(human), std::move(mouse));
}

}  // namespace scpt
