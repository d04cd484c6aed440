// Human <-> mouse one-to-one orthologs, from bytes of either layout:
//   - scPretrain's table (../shared/data/ref/scPretrain_orthologs_one2one.csv): a header naming
//     columns, e.g. ",mouse_lemur__gene_name,human__gene_name,mouse__gene_name,"; the columns
//     whose names contain "human" and "mouse" are used;
//   - a plain two-column table "human<TAB>mouse" (or CSV), header optional.
// Rows with an empty side are skipped. Lookups are case-insensitive. When a symbol appears in
// several rows the first row wins (one-to-one by construction), and the count is in notes.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace scpt {

class OrthologTable {
public:
    // (human symbol, mouse symbol) in file order, one-to-one after dropping repeats.
    const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }
    // The mouse symbol of a human symbol (any case), or nullptr.
    const std::string* mouse_of(std::string_view human) const;
    // The human symbol of a mouse symbol (any case), or nullptr.
    const std::string* human_of(std::string_view mouse) const;
    size_t size() const { return pairs_.size(); }
    const std::vector<std::string>& notes() const { return notes_; }

    void add(std::string human, std::string mouse);  // ignored when either side is already present

private:
    std::vector<std::pair<std::string, std::string>> pairs_;
    std::unordered_map<std::string, size_t> by_human_, by_mouse_;  // upper-case keys
    std::vector<std::string> notes_;
    int64_t repeats_ = 0;
    friend OrthologTable parse_orthologs(std::string_view, const std::string&);
};

// Throws InputError naming `what` when no human/mouse columns can be found or no pair is read.
OrthologTable parse_orthologs(std::string_view bytes, const std::string& what);

}  // namespace scpt
