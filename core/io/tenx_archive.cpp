#include "core/io/tenx_archive.hpp"

#include <map>
#include <set>

#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {

bool is_junk(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    return starts_with(path, "__MACOSX/") || path.find("/__MACOSX/") != std::string::npos || starts_with(base, "._");
}

std::string quoted(const std::string& folder) { return folder.empty() ? std::string("(top level)") : folder; }

std::string list(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + quoted(x);
    return s;
}

}  // namespace

TenxArchiveChoice choose_tenx_members(const std::vector<std::string>& paths, const std::string& archive_name) {
    std::set<std::string> present;
    for (const auto& p : paths)
        if (!is_junk(p)) present.insert(p);
    // The member named `stem` or `stem`.gz, or "".
    auto find = [&](const std::string& stem) -> std::string {
        if (present.count(stem)) return stem;
        if (present.count(stem + ".gz")) return stem + ".gz";
        return "";
    };
    std::map<std::string, TenxArchiveChoice> found;  // by folder + prefix, sorted for stable messages
    std::vector<std::string> incomplete;
    for (const auto& p : present) {
        const std::string low = to_lower(p);
        const size_t slash = p.find_last_of('/');
        const std::string dir = slash == std::string::npos ? "" : p.substr(0, slash + 1);
        const std::string base = p.substr(dir.size());
        const std::string base_low = low.substr(dir.size());
        if (!(ends_with(base_low, "matrix.mtx") || ends_with(base_low, "matrix.mtx.gz"))) continue;
        const std::string prefix = base.substr(0, base_low.rfind("matrix.mtx"));
        TenxArchiveChoice c;
        c.matrix = p;
        c.folder = dir + prefix;
        // Neighbours with the same prefix first, then plain names (as for files on disk).
        for (const std::string& pre : {prefix, std::string()}) {
            if (c.features.empty()) c.features = find(dir + pre + "features.tsv");
            if (c.features.empty()) c.features = find(dir + pre + "genes.tsv");
            if (c.barcodes.empty()) c.barcodes = find(dir + pre + "barcodes.tsv");
        }
        if (c.features.empty() || c.barcodes.empty()) incomplete.push_back(p);
        else found.emplace(c.folder, c);
    }
    if (found.empty()) {
        if (!incomplete.empty())
            throw input_error(archive_name, "holds " + incomplete.front() + " but not the features.tsv (or genes.tsv) and "
                                            "barcodes.tsv next to it: a 10x matrix needs all three files");
        std::string some;
        int shown = 0;
        for (const auto& p : present) {
            if (shown++ == 5) { some += ", ..."; break; }
            some += (some.empty() ? "" : ", ") + p;
        }
        throw input_error(archive_name, "holds no 10x matrix (matrix.mtx with features.tsv and barcodes.tsv; plain or .gz); it holds " +
                                            (some.empty() ? std::string("no files") : some));
    }
    std::vector<std::string> all, filtered;
    for (const auto& [folder, c] : found) {
        all.push_back(folder);
        if (to_lower(folder).find("filtered") != std::string::npos) filtered.push_back(folder);
    }
    if (all.size() == 1) return found.begin()->second;
    if (filtered.size() == 1) {
        TenxArchiveChoice c = found.at(filtered[0]);
        c.note = archive_name + ": holds " + std::to_string(all.size()) + " matrices (" + list(all) + "); read the filtered one, " +
                 quoted(c.folder);
        return c;
    }
    throw input_error(archive_name, "holds " + std::to_string(all.size()) + " matrices (" + list(filtered.size() > 1 ? filtered : all) +
                                        ") and scpt cannot tell which to read: unpack the archive and give the folder you want");
}

}  // namespace scpt::io
