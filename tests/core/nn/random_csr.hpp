// Random sparse matrices for unit tests of the learning code.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/nn/sparse_batch.hpp"
#include "core/util/rng.hpp"

namespace scpt::test {

// Owns the CSR arrays; csr() views them.
struct RandomCsr {
    int64_t rows = 0, cols = 0;
    std::vector<int64_t> indptr{0};
    std::vector<int32_t> indices;
    std::vector<float> values;
    nn::CsrRef csr() const { return {rows, cols, indptr.data(), indices.data(), values.data()}; }
    // Dense copy (rows x cols), for references.
    std::vector<double> dense() const {
        std::vector<double> d(size_t(rows * cols), 0.0);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t k = indptr[size_t(r)]; k < indptr[size_t(r) + 1]; ++k)
                d[size_t(r * cols + indices[size_t(k)])] = values[size_t(k)];
        return d;
    }
};

// Each entry present with probability `density`, value log1p of a small count.
inline RandomCsr random_csr(int64_t rows, int64_t cols, double density, uint64_t seed) {
    Rng rng(seed);
    RandomCsr m;
    m.rows = rows;
    m.cols = cols;
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < cols; ++c)
            if (rng.uniform() < density) {
                m.indices.push_back(int32_t(c));
                m.values.push_back(float(std::log1p(1.0 + double(rng.below(20)))));
            }
        m.indptr.push_back(int64_t(m.values.size()));
    }
    return m;
}

// Sparse "cells" of `types` planted types over `genes` genes: each type expresses its own block of
// marker genes strongly, and every cell has sparse background noise on all genes.
inline RandomCsr planted_sparse(int types, int64_t per_type, int64_t genes, uint64_t seed, std::vector<int32_t>& truth) {
    Rng rng(seed);
    RandomCsr m;
    m.cols = genes;
    const int64_t block = genes / (2 * types);
    for (int t = 0; t < types; ++t)
        for (int64_t c = 0; c < per_type; ++c) {
            for (int64_t g = 0; g < genes; ++g) {
                bool marker = g >= t * block && g < (t + 1) * block;
                double p = marker ? 0.7 : 0.05;
                if (rng.uniform() < p) {
                    m.indices.push_back(int32_t(g));
                    m.values.push_back(float(std::log1p(double(1 + rng.below(marker ? 30 : 3)))));
                }
            }
            m.indptr.push_back(int64_t(m.values.size()));
            truth.push_back(t);
            ++m.rows;
        }
    return m;
}

}  // namespace scpt::test
