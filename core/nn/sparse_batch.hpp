// Sparse inputs of the learning code: a read-only view of any CSR matrix (cells x genes), and a
// mini-batch gathered from one or several such matrices together with its gene-major transpose.
// The transpose lets the encoder's forward and backward walk each touched gene's weight row once
// per batch instead of once per cell, which is what makes a 30k-gene encoder cheap to train.
#pragma once
#include <cstdint>
#include <vector>

namespace scpt {
struct CellMatrix;
}

namespace scpt::nn {

// A non-owning CSR view: row r holds indices[indptr[r] .. indptr[r+1]) with their values.
struct CsrRef {
    int64_t rows = 0;
    int64_t cols = 0;
    const int64_t* indptr = nullptr;
    const int32_t* indices = nullptr;
    const float* values = nullptr;

    static CsrRef of(const CellMatrix& m);
    int64_t row_nnz(int64_t r) const { return indptr[r + 1] - indptr[r]; }
};

// Rows gathered from CSR matrices into one contiguous CSR block (row-major, cell order as
// appended), plus, after finalize(), the same entries grouped by column ("gene-major"):
// genes[] ascending, and for genes[j] the entries t_rows/t_values[gene_ptr[j] .. gene_ptr[j+1])
// in increasing row order. Reuse one object across steps to keep its buffers.
class SparseBatch {
public:
    // Starts an empty batch over `cols` columns.
    void reset(int64_t cols);
    // Appends rows[0..n) of m (m.cols must equal the batch's cols).
    void append(const CsrRef& m, const int64_t* rows, int64_t n);
    // Appends the contiguous rows [begin, end) of m.
    void append_range(const CsrRef& m, int64_t begin, int64_t end);
    // Builds the gene-major transpose; call after the last append and before use.
    void finalize();

    int64_t rows() const { return int64_t(indptr_.size()) - 1; }
    int64_t cols() const { return cols_; }
    int64_t nnz() const { return int64_t(values_.size()); }
    CsrRef csr() const;

    // Gene-major transpose (valid after finalize()).
    const std::vector<int32_t>& genes() const { return genes_; }
    const std::vector<int64_t>& gene_ptr() const { return gene_ptr_; }
    const std::vector<int32_t>& t_rows() const { return t_rows_; }
    const std::vector<float>& t_values() const { return t_values_; }

private:
    int64_t cols_ = 0;
    std::vector<int64_t> indptr_{0};
    std::vector<int32_t> indices_;
    std::vector<float> values_;
    std::vector<int32_t> genes_;
    std::vector<int64_t> gene_ptr_;
    std::vector<int32_t> t_rows_;
    std::vector<float> t_values_;
    std::vector<int64_t> slot_;  // per column: write cursor while transposing, -1 when untouched
};

}  // namespace scpt::nn
