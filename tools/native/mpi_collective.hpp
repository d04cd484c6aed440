// train::Collective (core/train/collective.hpp) on MPI, for `mpirun -np N scpt pretrain`. The
// build links MPI when CMake finds it (tools/CMakeLists.txt, SCPT_MPI); otherwise mpi_built() is
// false and start_mpi() refuses. A process not started by an MPI launcher never initialises MPI,
// so `scpt pretrain` without mpirun runs exactly as a build without MPI.
#pragma once
#include <memory>

#include "core/train/collective.hpp"

namespace scpt::native {

// This binary was built with MPI.
bool mpi_built();

// The environment says an MPI launcher started this process: mpirun/mpiexec (OpenMPI's
// OMPI_COMM_WORLD_SIZE, MPICH's PMI_SIZE) or Slurm's srun with PMIx (PMIX_RANK).
bool launched_by_mpi();

// MPI_Init now, MPI_Finalize when the returned object goes. Throws InputError when not built with MPI.
std::unique_ptr<train::Collective> start_mpi();

// Ends every rank of the job (MPI_Abort): for an error on one rank while the others wait in a sum.
[[noreturn]] void mpi_abort(int code);

}  // namespace scpt::native
