#include "core/data/cell_matrix.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <numeric>
#include <set>

#include "core/util/error.hpp"

namespace scpt {

int64_t ObsColumn::level_count() const {
    if (!is_numeric()) return int64_t(levels.size());
    std::set<double> distinct;
    for (double x : numbers)
        if (!std::isnan(x)) distinct.insert(x);
    return int64_t(distinct.size());
}

std::string ObsColumn::text(int64_t cell) const {
    if (is_numeric()) {
        double x = numbers[size_t(cell)];
        if (std::isnan(x)) return "";
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.10g", x);
        return buf;
    }
    int32_t c = codes[size_t(cell)];
    return c < 0 ? std::string() : levels[size_t(c)];
}

const ObsColumn* CellMatrix::find_obs(const std::string& name) const {
    for (const auto& c : obs)
        if (c.name == name) return &c;
    return nullptr;
}

void CellMatrix::validate(const std::string& what) const {
    auto fail = [&](const std::string& msg) { throw input_error(what, msg); };
    if (n_cells < 0 || n_genes < 0) fail("negative matrix dimensions");
    if (int64_t(indptr.size()) != n_cells + 1) fail("cell offsets do not match the number of cells");
    if (indptr.front() != 0 || indptr.back() != int64_t(values.size()) || indices.size() != values.size())
        fail("stored entries do not match the cell offsets");
    if (int64_t(barcodes.size()) != n_cells)
        fail(std::to_string(barcodes.size()) + " cell barcodes for " + std::to_string(n_cells) + " cells");
    if (int64_t(gene_symbols.size()) != n_genes || int64_t(gene_ids.size()) != n_genes)
        fail(std::to_string(gene_symbols.size()) + " gene names for " + std::to_string(n_genes) + " genes");
    for (int64_t c = 0; c < n_cells; ++c) {
        int64_t b = indptr[size_t(c)], e = indptr[size_t(c) + 1];
        if (e < b) fail("cell offsets decrease at cell " + std::to_string(c + 1));
        for (int64_t k = b; k < e; ++k) {
            int32_t g = indices[size_t(k)];
            if (g < 0 || g >= n_genes) fail("a gene index is out of range in cell " + barcodes[size_t(c)]);
            if (k > b && indices[size_t(k) - 1] >= g)
                fail("gene indices are not strictly increasing in cell " + barcodes[size_t(c)]);
            if (!std::isfinite(values[size_t(k)]))
                fail("cell " + barcodes[size_t(c)] + " has a value that is not a finite number");
        }
    }
    for (const auto& col : obs) {
        size_t n = col.is_numeric() ? col.numbers.size() : col.codes.size();
        if (int64_t(n) != n_cells) fail("metadata column '" + col.name + "' does not have one value per cell");
    }
}

void CsrBuilder::reserve(int64_t nnz) {
    cells_.reserve(size_t(nnz));
    genes_.reserve(size_t(nnz));
    vals_.reserve(size_t(nnz));
}

int64_t CsrBuilder::finish(CellMatrix& m) {
    const size_t nnz = vals_.size();
    m.n_cells = n_cells_;
    m.n_genes = n_genes_;
    // Counting sort by cell, then sort genes within each cell (stable, so duplicates stay adjacent).
    std::vector<int64_t> ptr(size_t(n_cells_) + 1, 0);
    for (int32_t c : cells_) ++ptr[size_t(c) + 1];
    std::partial_sum(ptr.begin(), ptr.end(), ptr.begin());
    std::vector<int32_t> idx(nnz);
    std::vector<float> val(nnz);
    {
        std::vector<int64_t> next(ptr.begin(), ptr.end() - 1);
        for (size_t k = 0; k < nnz; ++k) {
            int64_t at = next[size_t(cells_[k])]++;
            idx[size_t(at)] = genes_[k];
            val[size_t(at)] = vals_[k];
        }
    }
    std::vector<int32_t>().swap(cells_);
    std::vector<int32_t>().swap(genes_);
    std::vector<float>().swap(vals_);

    int64_t duplicates = 0, out = 0;
    std::vector<std::pair<int32_t, float>> row;
    m.indptr.assign(size_t(n_cells_) + 1, 0);
    for (int64_t c = 0; c < n_cells_; ++c) {
        int64_t b = ptr[size_t(c)], e = ptr[size_t(c) + 1];
        bool sorted = true;
        for (int64_t k = b + 1; k < e; ++k)
            if (idx[size_t(k)] <= idx[size_t(k) - 1]) { sorted = false; break; }
        if (!sorted) {
            row.clear();
            for (int64_t k = b; k < e; ++k) row.emplace_back(idx[size_t(k)], val[size_t(k)]);
            std::stable_sort(row.begin(), row.end(), [](auto& x, auto& y) { return x.first < y.first; });
            for (int64_t k = b; k < e; ++k) {
                idx[size_t(k)] = row[size_t(k - b)].first;
                val[size_t(k)] = row[size_t(k - b)].second;
            }
        }
        for (int64_t k = b; k < e; ++k) {
            if (out > m.indptr[size_t(c)] && idx[size_t(out) - 1] == idx[size_t(k)]) {
                val[size_t(out) - 1] += val[size_t(k)];
                ++duplicates;
            } else {
                idx[size_t(out)] = idx[size_t(k)];
                val[size_t(out)] = val[size_t(k)];
                ++out;
            }
        }
        m.indptr[size_t(c) + 1] = out;
    }
    idx.resize(size_t(out));
    val.resize(size_t(out));
    m.indices = std::move(idx);
    m.values = std::move(val);
    return duplicates;
}

}  // namespace scpt
