#include "core/data/cell_collector.hpp"

#include <algorithm>
#include <numeric>

namespace scpt {

size_t sort_and_sum_genes(int32_t* genes, float* values, size_t n, int64_t* duplicates) {
    bool sorted = true;
    for (size_t k = 1; k < n; ++k)
        if (genes[k] <= genes[k - 1]) { sorted = false; break; }
    if (sorted) return n;
    std::vector<std::pair<int32_t, float>> row(n);
    for (size_t k = 0; k < n; ++k) row[k] = {genes[k], values[k]};
    std::stable_sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t out = 0;
    for (size_t k = 0; k < n; ++k) {
        if (out > 0 && genes[out - 1] == row[k].first) {
            values[out - 1] += row[k].second;
            if (duplicates) ++*duplicates;
        } else {
            genes[out] = row[k].first;
            values[out] = row[k].second;
            ++out;
        }
    }
    return out;
}

CellCollector::CellCollector(int64_t n_cells, int64_t n_genes) : n_cells_(n_cells), n_genes_(n_genes) {
    indptr_.reserve(size_t(n_cells) + 1);
    indptr_.push_back(0);  // indptr_[c] is known for every c <= current_
}

CellCollector::~CellCollector() = default;

void CellCollector::reserve(int64_t nnz) {
    genes_.reserve(size_t(nnz));
    values_.reserve(size_t(nnz));
}

void CellCollector::close_current() {
    size_t n = genes_.size() - size_t(cell_start_);
    size_t kept = sort_and_sum_genes(genes_.data() + cell_start_, values_.data() + cell_start_, n, &duplicates_);
    genes_.resize(size_t(cell_start_) + kept);
    values_.resize(size_t(cell_start_) + kept);
}

void CellCollector::add_slow(int32_t cell, int32_t gene, float value) {
    if (fallback_) {
        fallback_->add(cell, gene, value);
        return;
    }
    if (cell > current_) {
        close_current();
        // Cells current_ .. cell-1 are complete (empty ones included).
        while (int64_t(indptr_.size()) <= cell) indptr_.push_back(int64_t(genes_.size()));
        current_ = cell;
        cell_start_ = int64_t(genes_.size());
        genes_.push_back(gene);
        values_.push_back(value);
        return;
    }
    // Out of cell order: move what we have into a CsrBuilder and continue there.
    close_current();
    fallback_ = std::make_unique<CsrBuilder>(n_cells_, n_genes_);
    fallback_->reserve(int64_t(genes_.capacity()));
    for (int64_t c = 0; c < int64_t(indptr_.size()); ++c) {
        int64_t e = c + 1 < int64_t(indptr_.size()) ? indptr_[size_t(c) + 1] : int64_t(genes_.size());
        for (int64_t k = indptr_[size_t(c)]; k < e; ++k) fallback_->add(c, genes_[size_t(k)], values_[size_t(k)]);
    }
    std::vector<int32_t>().swap(genes_);
    std::vector<float>().swap(values_);
    std::vector<int64_t>().swap(indptr_);
    fallback_->add(cell, gene, value);
}

int64_t CellCollector::finish(CellMatrix& m) {
    if (fallback_) return duplicates_ + fallback_->finish(m);
    close_current();
    while (int64_t(indptr_.size()) <= n_cells_) indptr_.push_back(int64_t(genes_.size()));
    m.n_cells = n_cells_;
    m.n_genes = n_genes_;
    m.indptr = std::move(indptr_);
    m.indices = std::move(genes_);
    m.values = std::move(values_);
    m.indices.shrink_to_fit();
    m.values.shrink_to_fit();
    return duplicates_;
}

}  // namespace scpt
