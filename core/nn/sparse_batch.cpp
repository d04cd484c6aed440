#include "core/nn/sparse_batch.hpp"

#include <stdexcept>

#include "core/data/cell_matrix.hpp"

namespace scpt::nn {

CsrRef CsrRef::of(const CellMatrix& m) {
    CsrRef r;
    r.rows = m.n_cells;
    r.cols = m.n_genes;
    r.indptr = m.indptr.data();
    r.indices = m.indices.data();
    r.values = m.values.data();
    return r;
}

void SparseBatch::reset(int64_t cols) {
    cols_ = cols;
    indptr_.assign(1, 0);
    indices_.clear();
    values_.clear();
    genes_.clear();
    gene_ptr_.clear();
    if (int64_t(slot_.size()) != cols) slot_.assign(size_t(cols), 0);
}

void SparseBatch::append(const CsrRef& m, const int64_t* rows, int64_t n) {
    if (m.cols != cols_) throw std::logic_error("SparseBatch::append: column count mismatch");
    for (int64_t i = 0; i < n; ++i) {
        int64_t r = rows[i];
        int64_t b = m.indptr[r], e = m.indptr[r + 1];
        indices_.insert(indices_.end(), m.indices + b, m.indices + e);
        values_.insert(values_.end(), m.values + b, m.values + e);
        indptr_.push_back(int64_t(values_.size()));
    }
}

void SparseBatch::append_range(const CsrRef& m, int64_t begin, int64_t end) {
    if (m.cols != cols_) throw std::logic_error("SparseBatch::append_range: column count mismatch");
    for (int64_t r = begin; r < end; ++r) {
        int64_t b = m.indptr[r], e = m.indptr[r + 1];
        indices_.insert(indices_.end(), m.indices + b, m.indices + e);
        values_.insert(values_.end(), m.values + b, m.values + e);
        indptr_.push_back(int64_t(values_.size()));
    }
}

void SparseBatch::finalize() {
    // Counting sort by column: a stable pass in row order keeps each gene's entries row-ordered,
    // which fixes the summation order of every gradient row whatever the thread count.
    for (int32_t g : indices_) ++slot_[size_t(g)];
    genes_.clear();
    gene_ptr_.assign(1, 0);
    for (int64_t g = 0; g < cols_; ++g) {
        int64_t c = slot_[size_t(g)];
        if (c == 0) continue;
        slot_[size_t(g)] = gene_ptr_.back();  // becomes the write cursor
        genes_.push_back(int32_t(g));
        gene_ptr_.push_back(gene_ptr_.back() + c);
    }
    t_rows_.resize(values_.size());
    t_values_.resize(values_.size());
    int64_t n = rows();
    for (int64_t r = 0; r < n; ++r)
        for (int64_t k = indptr_[size_t(r)]; k < indptr_[size_t(r) + 1]; ++k) {
            int64_t pos = slot_[size_t(indices_[size_t(k)])]++;
            t_rows_[size_t(pos)] = int32_t(r);
            t_values_[size_t(pos)] = values_[size_t(k)];
        }
    for (int32_t g : genes_) slot_[size_t(g)] = 0;
}

CsrRef SparseBatch::csr() const {
    CsrRef r;
    r.rows = rows();
    r.cols = cols_;
    r.indptr = indptr_.data();
    r.indices = indices_.data();
    r.values = values_.data();
    return r;
}

}  // namespace scpt::nn
