// The whole state of a pre-training run between two epochs, as bytes a caller can store
// (`scpt pretrain --checkpoint DIR`) and give back to continue the run (pretrain.hpp,
// PretrainCheckpoint). Restarting from it gives the same model bit for bit as a run that was
// never stopped: it holds the encoder and its Adam moments, every local dataset's pseudo-labels,
// heads and their moments, the random stream's position, the epoch, the early-stop counters and
// the loss log. A fingerprint of the run (options, corpus, rank) refuses a state of another run.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/adam.hpp"
#include "core/nn/linear.hpp"
#include "core/train/pretrain.hpp"

namespace scpt::train {

struct HeadState {
    int64_t out = 0, in = 0;
    std::vector<float> weight, bias;  // out x in, row-major; out
    nn::AdamSlot w, b;
};

struct TaskState {
    std::array<std::vector<int32_t>, 3> labels;
    std::array<HeadState, 3> heads;
};

struct PretrainState {
    std::string fingerprint;
    int32_t phase = 1, epoch = 0;  // the last completed epoch and its phase
    bool phase_done = false;       // that epoch ended its phase (early stop or max_epochs)
    double best = 0;
    int32_t bad = 0, epochs_done = 0;
    double epoch_seconds = 0, kmeans_seconds = 0;
    uint64_t rng = 0;  // the phase's stream after that epoch's shuffles
    std::vector<float> enc_weight, enc_bias;
    nn::AdamSlot enc_w, enc_b;
    std::vector<TaskState> tasks;
    std::vector<PretrainEpoch> log;
    std::vector<std::vector<std::array<int, 3>>> clusters;
};

HeadState head_state(const nn::Linear& head, const nn::AdamSlot& w, const nn::AdamSlot& b);
// Throws InputError when the state's sizes do not agree with each other.
void restore_head(HeadState s, nn::Linear& head, nn::AdamSlot& w, nn::AdamSlot& b);

std::string encode_state(const PretrainState& s);
// Throws InputError naming `what` when the bytes are not a state this version wrote (truncated, other format).
PretrainState decode_state(const std::string& bytes, const std::string& what);

}  // namespace scpt::train
