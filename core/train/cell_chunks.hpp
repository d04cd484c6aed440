// A dataset read a chunk of cells at a time, so that pre-training never holds a whole dataset
// (CorpusDataset::source, pretrain_corpus.hpp). The core opens no file: a front end implements
// this over its files (tools/native/spilled_dataset.hpp); MatrixChunks serves a matrix already in
// memory (tests, and datasets given whole).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "core/data/cell_matrix.hpp"

namespace scpt::train {

class CellChunkSource {
public:
    virtual ~CellChunkSource() = default;
    virtual int64_t cells() const = 0;
    // Stored (non-zero) values over all cells: what a dataset's share of the work grows with.
    virtual int64_t stored_values() const = 0;
    // The dataset's genes: gene_ids, gene_symbols, n_genes; no cells.
    virtual const CellMatrix& genes() const = 0;
    // Cells [first, first + count) as stored (values not transformed), over all n_genes genes,
    // rows sorted by gene. 1 <= count, first + count <= cells(). May throw InputError (a file
    // that changed or broke since it was opened) or Cancelled.
    virtual CellMatrix read(int64_t first, int64_t count) = 0;
};

class MatrixChunks : public CellChunkSource {
public:
    explicit MatrixChunks(CellMatrix m) : m_(std::move(m)) {
        genes_.n_genes = m_.n_genes;
        genes_.gene_ids = m_.gene_ids;
        genes_.gene_symbols = m_.gene_symbols;
        genes_.indptr = {0};
    }
    int64_t cells() const override { return m_.n_cells; }
    int64_t stored_values() const override { return m_.nnz(); }
    const CellMatrix& genes() const override { return genes_; }
    CellMatrix read(int64_t first, int64_t count) override {
        if (first < 0 || count < 1 || first + count > m_.n_cells) throw std::out_of_range("MatrixChunks::read: rows outside the matrix");
        CellMatrix c;
        c.n_cells = count;
        c.n_genes = m_.n_genes;
        const int64_t b = m_.indptr[size_t(first)], e = m_.indptr[size_t(first + count)];
        c.indptr.reserve(size_t(count) + 1);
        for (int64_t r = first; r <= first + count; ++r) c.indptr.push_back(m_.indptr[size_t(r)] - b);
        c.indices.assign(m_.indices.begin() + b, m_.indices.begin() + e);
        c.values.assign(m_.values.begin() + b, m_.values.begin() + e);
        return c;
    }

private:
    CellMatrix m_, genes_;
};

}  // namespace scpt::train
