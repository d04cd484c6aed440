// Human <-> mouse one-to-one orthologs (parsed from a file by io::parse_orthologs,
// core/io/gene_tables.hpp). Lookups are case-insensitive. When a symbol is added twice the first
// pair wins (one-to-one by construction), and repeats() counts the others.
#pragma once
#include <cstdint>
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
    int64_t repeats() const { return repeats_; }     // pairs add() ignored
    void add_note(std::string note) { notes_.push_back(std::move(note)); }

private:
    std::vector<std::pair<std::string, std::string>> pairs_;
    std::unordered_map<std::string, size_t> by_human_, by_mouse_;  // upper-case keys
    std::vector<std::string> notes_;
    int64_t repeats_ = 0;
};

}  // namespace scpt
