#include "tools/native/mpi_collective.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include "core/util/error.hpp"

#ifdef SCPT_HAVE_MPI
// The C API only: OpenMPI's and MPICH's deprecated C++ bindings would need their C++ library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace scpt::native {

bool launched_by_mpi() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
        if (std::getenv(v)) return true;
    return false;
}

#ifdef SCPT_HAVE_MPI

namespace {

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw Error(std::string("MPI: ") + what + " failed (code " + std::to_string(rc) + ")");
}

// Counts above INT_MAX go in pieces: MPI counts are int.
constexpr int64_t kPiece = int64_t(1) << 30;

class MpiCollective final : public train::Collective {
public:
    MpiCollective() {
        int ready = 0;
        MPI_Initialized(&ready);
        if (!ready) check(MPI_Init(nullptr, nullptr), "MPI_Init");
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    ~MpiCollective() override {
        int done = 0;
        MPI_Finalized(&done);
        if (!done) MPI_Finalize();
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    // MPI_Allreduce: OpenMPI's algorithms for a commutative built-in operation give every rank the
    // same bits (the pre-trainer checks the encoders agree after every epoch all the same).
    void sum(float* data, int64_t n) override {
        for (int64_t i = 0; i < n; i += kPiece)
            check(MPI_Allreduce(MPI_IN_PLACE, data + i, int(std::min(kPiece, n - i)), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD),
                  "MPI_Allreduce");
    }
    void sum(double* data, int64_t n) override {
        for (int64_t i = 0; i < n; i += kPiece)
            check(MPI_Allreduce(MPI_IN_PLACE, data + i, int(std::min(kPiece, n - i)), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD),
                  "MPI_Allreduce");
    }
    std::vector<std::string> allgather(const std::string& mine) override {
        if (mine.size() > size_t(kPiece)) throw Error("MPI: a rank's description of its datasets is over 1 GiB");
        int len = int(mine.size());
        std::vector<int> lens(size_t(size_), 0), offsets(size_t(size_), 0);
        check(MPI_Allgather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
        int64_t total = 0;
        for (int r = 0; r < size_; ++r) {
            if (total > INT32_MAX - lens[size_t(r)]) throw Error("MPI: the ranks' descriptions are over 2 GiB together");
            offsets[size_t(r)] = int(total);
            total += lens[size_t(r)];
        }
        std::string all(size_t(total), '\0');
        check(MPI_Allgatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), offsets.data(), MPI_CHAR,
                             MPI_COMM_WORLD),
              "MPI_Allgatherv");
        std::vector<std::string> out;
        for (int r = 0; r < size_; ++r) out.push_back(all.substr(size_t(offsets[size_t(r)]), size_t(lens[size_t(r)])));
        return out;
    }

private:
    int rank_ = 0, size_ = 1;
};

}  // namespace

bool mpi_built() { return true; }

std::unique_ptr<train::Collective> start_mpi() { return std::make_unique<MpiCollective>(); }

void mpi_abort(int code) {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
}

#else

bool mpi_built() { return false; }

std::unique_ptr<train::Collective> start_mpi() {
    throw InputError("started by an MPI launcher, but this scpt was built without MPI (install libopenmpi-dev and "
                     "rebuild: tools/setup, tools/build)");
}

void mpi_abort(int code) { std::_Exit(code); }

#endif

}  // namespace scpt::native
