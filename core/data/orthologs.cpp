#include "core/data/orthologs.hpp"

#include "core/io/gzip.hpp"
#include "core/io/table.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"

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

OrthologTable parse_orthologs(std::string_view bytes, const std::string& what) {
    std::string store;
    std::string_view text =
        io::gunzip_if_gzip(bytes, what, Limits{}.max_inflated_bytes, store) ? std::string_view(store) : bytes;
    io::TextTable t = io::parse_table(text, what);
    if (t.rows.empty()) throw input_error(what, "is empty");
    int hcol = -1, mcol = -1;
    const auto& head = t.rows[0];
    for (size_t k = 0; k < head.size(); ++k) {
        std::string l = to_lower(head[k]);
        if (hcol < 0 && l.find("human") != std::string::npos) hcol = int(k);
        else if (mcol < 0 && l.find("mouse") != std::string::npos && l.find("lemur") == std::string::npos) mcol = int(k);
    }
    size_t first = 1;
    if (hcol < 0 || mcol < 0) {
        size_t width = 0;
        for (size_t r = 0; r < std::min<size_t>(t.rows.size(), 5); ++r) width = std::max(width, t.rows[r].size());
        if (width != 2)
            throw input_error(what, "is not an ortholog table: expected a header with 'human' and 'mouse' columns, "
                                    "or two columns 'human<TAB>mouse'");
        hcol = 0;
        mcol = 1;
        first = 0;
    }
    OrthologTable table;
    for (size_t r = first; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        if (int(row.size()) <= std::max(hcol, mcol)) continue;  // a side is missing
        const std::string& h = row[size_t(hcol)];
        const std::string& m = row[size_t(mcol)];
        if (h.empty() || m.empty()) continue;
        table.add(h, m);
    }
    if (table.size() == 0) throw input_error(what, "has no human/mouse pair");
    if (table.repeats_ > 0)
        table.notes_.push_back(what + ": " + std::to_string(table.repeats_) +
                               " rows repeat a gene already paired; the first pair of each gene was kept");
    return table;
}

}  // namespace scpt
