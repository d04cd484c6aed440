#include "wasm/dev/bench_kernel.hpp"

#include <emscripten/emscripten.h>

#include <cmath>

#include "core/util/parallel.hpp"
#include "core/util/rng.hpp"

namespace scpt::wasm {

BenchResult bench_sparse_encode(const CellMatrix& m, int hidden, int reps, const RunControl& rc) {
    const size_t h = size_t(std::max(1, hidden));
    std::vector<float> w(size_t(m.n_genes) * h), bias(h, 0.0f), out(size_t(m.n_cells) * h);
    Rng rng(7);
    for (float& x : w) x = float(rng.normal() * 0.01);
    BenchResult r;
    const double t0 = emscripten_get_now();
    for (int rep = 0; rep < reps; ++rep) {
        rc.check_cancel();
        parallel_chunks(m.n_cells, rc.threads, [&](int64_t b, int64_t e, int) {
            for (int64_t c = b; c < e; ++c) {
                float* o = out.data() + size_t(c) * h;
                for (size_t j = 0; j < h; ++j) o[j] = bias[j];
                for (int64_t p = m.indptr[size_t(c)]; p < m.indptr[size_t(c) + 1]; ++p) {
                    const float v = m.values[size_t(p)];
                    const float* wr = w.data() + size_t(m.indices[size_t(p)]) * h;
                    for (size_t j = 0; j < h; ++j) o[j] += v * wr[j];
                }
                for (size_t j = 0; j < h; ++j) o[j] = 1.0f / (1.0f + std::exp(-o[j]));
            }
        });
    }
    r.seconds = (emscripten_get_now() - t0) / 1000.0;
    r.gflops = r.seconds > 0 ? 2.0 * double(m.nnz()) * double(h) * reps / r.seconds / 1e9 : 0;
    for (float x : out) r.checksum += x;
    return r;
}

}  // namespace scpt::wasm
