// `scpt pretrain --checkpoint DIR` (tools/scpt/cmd_pretrain.cpp): after every epoch each rank writes its whole training state
// (core/train/pretrain_state.hpp) to DIR/rank-R-of-N.epoch-E.ckpt, atomically (temporary file,
// then rename), and removes its files older than the previous epoch. A restart with the same
// command resumes from the newest epoch every rank has (ranks are at most one epoch apart: each
// epoch ends with a sum over all of them), so a kill in the middle of writing loses one epoch.
#pragma once
#include <optional>
#include <string>

#include "core/train/collective.hpp"

namespace scpt::native {

class CheckpointDir {
public:
    // Creates dir when missing; throws InputError naming it when that fails.
    CheckpointDir(std::string dir, int rank, int size);
    // The state to resume from, agreed over the ranks, or nothing to start afresh. Throws
    // InputError naming the folder when it holds only checkpoints of another rank count (a state is
    // split by rank: resuming needs the rank count that wrote it).
    std::optional<std::string> latest(train::Collective& comm) const;
    // Epochs done so far over the phases (from the file name of what latest() returned), 0 if none.
    int resumed_epochs() const { return resumed_; }
    void save(const std::string& state, int epochs_done);

private:
    std::string file(int epochs) const;
    std::vector<int> epochs_here() const;
    std::vector<int> other_rank_counts() const;
    std::string dir_;
    int rank_, size_;
    mutable int resumed_ = 0;
};

}  // namespace scpt::native
