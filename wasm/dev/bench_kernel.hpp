// The encoder's inner loop in isolation, for measuring the module (SIMD vs scalar, threads vs
// not) before core's encoder lands: out = sigmoid(X W + b) with X the sparse cells x genes matrix
// and W gene-major (genes x hidden), exactly the access pattern of core/model's encoder.
#pragma once
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/util/run_control.hpp"

namespace scpt::wasm {

struct BenchResult {
    double seconds = 0;  // wall time of all repetitions
    double gflops = 0;   // 2 * nnz * hidden * reps / seconds
    double checksum = 0; // sum of the outputs of the last repetition (keeps the work observable)
};

BenchResult bench_sparse_encode(const CellMatrix& m, int hidden, int reps, const RunControl& rc);

}  // namespace scpt::wasm
