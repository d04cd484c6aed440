#include "tools/native/pretrain_inputs.hpp"

#include <algorithm>

#include "core/util/error.hpp"
#include "tools/native/files.hpp"
#include "tools/native/input.hpp"
#include "tools/native/spilled_dataset.hpp"

namespace scpt::native {

std::vector<std::string> parse_corpus_manifest(const std::string& text, const std::string& manifest) {
    std::string dir;
    if (const size_t slash = manifest.rfind('/'); slash != std::string::npos) dir = manifest.substr(0, slash);
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        size_t first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        line = line.substr(first);
        out.push_back(line.front() == '/' || dir.empty() ? line : native::join_path(dir, line));
    }
    if (out.empty()) throw input_error(manifest, "lists no dataset (one path a line; # starts a comment)");
    return out;
}

namespace {

train::CorpusDataset read_one(const std::string& path, int64_t index, const RunControl& rc, const std::string& scratch) {
    rc.check_cancel();
    io::ReadOptions ro;
    ro.control = &rc;
    train::CorpusDataset d;
    d.name = native::base_name(path);
    if (scratch.empty())
        d.matrix = native::read_input(path, ro);
    else
        d.source = std::make_shared<SpilledDataset>(path, scratch, ro);
    d.corpus_index = index;
    return d;
}

}  // namespace

std::vector<train::CorpusDataset> read_shard(const std::vector<std::string>& paths, train::Collective& comm,
                                             const RunControl& rc, std::vector<int>* owner_out, const std::string& scratch) {
    const int rank = comm.rank(), size = comm.size();
    std::vector<train::CorpusDataset> mine;
    if (size == 1) {
        for (size_t i = 0; i < paths.size(); ++i) mine.push_back(read_one(paths[i], int64_t(i), rc, scratch));
        if (owner_out) owner_out->assign(paths.size(), 0);
        return mine;
    }
    // Count: every size-th dataset from this rank's number, by its stored values (the load).
    std::vector<train::CorpusDataset> counted;
    std::vector<std::string> counts;
    for (size_t i = size_t(rank); i < paths.size(); i += size_t(size)) {
        counted.push_back(read_one(paths[i], int64_t(i), rc, scratch));
        const auto& d = counted.back();
        counts.push_back(std::to_string(i) + " " + std::to_string(d.source ? d.source->stored_values() : d.matrix.nnz()));
    }
    std::vector<int64_t> load(paths.size(), -1);
    for (const auto& packed : comm.allgather(train::pack_strings(counts)))
        for (const auto& c : train::unpack_strings(packed)) {
            const size_t space = c.find(' ');
            load[size_t(std::stoll(c.substr(0, space)))] = std::stoll(c.substr(space + 1));
        }
    const std::vector<int> owner = train::balance_datasets(load, size);
    for (auto& d : counted)
        if (owner[size_t(d.corpus_index)] == rank) mine.push_back(std::move(d));
    counted.clear();
    for (size_t i = 0; i < paths.size(); ++i)
        if (owner[i] == rank && int(i % size_t(size)) != rank) mine.push_back(read_one(paths[i], int64_t(i), rc, scratch));
    // Corpus order within the rank too: the stacked batch (and so the float sums) follow it.
    std::sort(mine.begin(), mine.end(), [](const auto& a, const auto& b) { return a.corpus_index < b.corpus_index; });
    if (owner_out) *owner_out = owner;
    return mine;
}

}  // namespace scpt::native
