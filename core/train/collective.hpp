// What data-parallel pre-training needs from a group of processes, without the core knowing how
// they talk: a rank and a size, element-wise sums that leave the same result on every rank, and an
// allgather of byte strings. The core stays free of MPI: tools/native/mpi_collective.cpp
// implements this on MPI (linked only when the build finds MPI); SingleProcess is the identity.
//
// Sharding a corpus (docs/PRETRAIN.md): every rank owns whole datasets. balance_datasets assigns
// them greedily, largest first, each to the rank with the least load so far (ties: the lower
// rank), so ranks carry about the same load whatever the datasets' sizes. Pre-training's load is a
// dataset's stored values, not its cells: a step's and a Lloyd pass's work grow with them, and
// datasets of equal cells differ 2-3x in depth (a 1M-cell corpus balanced by cells left one rank
// idle half of each step: BENCHMARKS.md, "1M cells").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace scpt::train {

class Collective {
public:
    virtual ~Collective() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // data[0..n) becomes the sum over ranks, bit-identical on every rank.
    virtual void sum(float* data, int64_t n) = 0;
    virtual void sum(double* data, int64_t n) = 0;
    // Every rank's string, in rank order.
    virtual std::vector<std::string> allgather(const std::string& mine) = 0;
};

class SingleProcess final : public Collective {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    void sum(float*, int64_t) override {}
    void sum(double*, int64_t) override {}
    std::vector<std::string> allgather(const std::string& mine) override { return {mine}; }
};

// Length-prefixed lists of strings, to carry several fields through one allgather.
std::string pack_strings(const std::vector<std::string>& fields);
// Throws InputError when the bytes are not a pack_strings result.
std::vector<std::string> unpack_strings(const std::string& packed);

// The owning rank of every dataset (load[i] each: its stored values) among `ranks` ranks. Throws
// InputError when ranks < 1 or a load is negative.
std::vector<int> balance_datasets(const std::vector<int64_t>& load, int ranks);

}  // namespace scpt::train
