#include "tools/native/pretrain_checkpoint.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "core/util/error.hpp"
#include "tools/native/files.hpp"

namespace scpt::native {

CheckpointDir::CheckpointDir(std::string dir, int rank, int size) : dir_(std::move(dir)), rank_(rank), size_(size) {
    if (!native::is_directory(dir_) && ::mkdir(dir_.c_str(), 0777) != 0 && errno != EEXIST)
        throw input_error(dir_, std::string("cannot create the checkpoint folder: ") + std::strerror(errno));
    if (!native::is_directory(dir_)) throw input_error(dir_, "is not a folder (--checkpoint wants one)");
}

std::string CheckpointDir::file(int epochs) const {
    return native::join_path(dir_, "rank-" + std::to_string(rank_) + "-of-" + std::to_string(size_) + ".epoch-" +
                                       std::to_string(epochs) + ".ckpt");
}

std::vector<int> CheckpointDir::epochs_here() const {
    const std::string prefix = "rank-" + std::to_string(rank_) + "-of-" + std::to_string(size_) + ".epoch-";
    std::vector<int> out;
    if (DIR* d = opendir(dir_.c_str())) {
        while (dirent* e = readdir(d)) {
            const std::string n = e->d_name;
            if (n.size() > prefix.size() + 5 && n.compare(0, prefix.size(), prefix) == 0 &&
                n.compare(n.size() - 5, 5, ".ckpt") == 0) {
                const std::string num = n.substr(prefix.size(), n.size() - prefix.size() - 5);
                if (!num.empty() && num.size() < 9 && std::all_of(num.begin(), num.end(), ::isdigit))
                    out.push_back(std::stoi(num));
            }
        }
        closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<int> CheckpointDir::other_rank_counts() const {
    std::set<int> counts;
    if (DIR* d = opendir(dir_.c_str())) {
        while (dirent* e = readdir(d)) {
            const std::string n = e->d_name;
            const size_t of = n.find("-of-"), dot = n.find(".epoch-");
            if (n.compare(0, 5, "rank-") != 0 || of == std::string::npos || dot == std::string::npos || dot < of + 5) continue;
            const std::string num = n.substr(of + 4, dot - of - 4);
            if (num.size() < 9 && std::all_of(num.begin(), num.end(), ::isdigit) && std::stoi(num) != size_)
                counts.insert(std::stoi(num));
        }
        closedir(d);
    }
    return {counts.begin(), counts.end()};
}

std::optional<std::string> CheckpointDir::latest(train::Collective& comm) const {
    std::vector<std::string> mine;
    for (int e : epochs_here()) mine.push_back(std::to_string(e));
    std::set<int> common;
    bool first = true;
    for (const auto& packed : comm.allgather(train::pack_strings(mine))) {
        std::set<int> theirs;
        for (const auto& e : train::unpack_strings(packed)) theirs.insert(std::stoi(e));
        if (first) {
            common = theirs;
            first = false;
        } else {
            std::set<int> both;
            for (int e : common)
                if (theirs.count(e)) both.insert(e);
            common = both;
        }
    }
    if (common.empty()) {
        // Starting afresh next to another rank count's files would silently throw their epochs away.
        const auto others = other_rank_counts();
        if (!others.empty())
            throw input_error(dir_, "holds the checkpoints of a run of " + std::to_string(others.front()) +
                                        (others.front() == 1 ? " process" : " ranks") + ", and this run has " + std::to_string(size_) +
                                        ": a checkpoint resumes only with the rank count that wrote it (its pseudo-labels and "
                                        "heads are split by rank); rerun with that count (mpirun -np " +
                                        std::to_string(others.front()) + "), or give another --checkpoint folder");
        return std::nullopt;
    }
    resumed_ = *common.rbegin();
    return native::read_file(file(resumed_));
}

void CheckpointDir::save(const std::string& state, int epochs_done) {
    native::write_file_atomic(file(epochs_done), state);
    for (int e : epochs_here())
        if (e < epochs_done - 1) ::unlink(file(e).c_str());
}

}  // namespace scpt::native
