// A dataset's cells carried into another gene space (the shared vocabulary of a pre-training
// corpus, or a model's genes): column j of the source becomes column map[j], or is dropped
// when map[j] < 0. Rows stay sorted by column, as every consumer of CSR here expects.
#pragma once
#include <cstdint>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/nn/sparse_batch.hpp"

namespace scpt::train {

struct MappedMatrix {
    int64_t rows = 0, cols = 0;
    std::vector<int64_t> indptr{0};
    std::vector<int32_t> indices;
    std::vector<float> values;

    nn::CsrRef csr() const { return {rows, cols, indptr.data(), indices.data(), values.data()}; }
};

// map has one entry per gene of m (values in [-1, cols)); two source genes mapped to the same
// column are summed.
MappedMatrix map_columns(const CellMatrix& m, const std::vector<int32_t>& map, int64_t cols);

}  // namespace scpt::train
