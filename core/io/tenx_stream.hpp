// Streaming a 10x matrix folder cell by cell, for inputs too large to hold as one CellMatrix
// (1M cells): the small files (features, barcodes) are parsed first, then the matrix bytes are fed
// in chunks of any size (plain or gzip, detected from the first bytes) and every cell is handed to
// a callback as soon as its column is complete. Works for files sorted by cell, as Cell Ranger
// writes them; other orders and cells x genes files are refused with a message saying to read the
// file whole (read_tenx_folder). Non gene-expression features are set aside as read_tenx_folder does.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/io/mtx.hpp"
#include "core/io/read_options.hpp"
#include "core/io/tenx_folder.hpp"

namespace scpt::io {

class TenxCellStream {
public:
    // on_cell(cell, genes, values, n): genes are kept-gene indices, ascending; called for every
    // cell in order, empty ones included. `in.matrix` is ignored: feed the matrix bytes instead.
    TenxCellStream(const TenxFolderInput& in, const ReadOptions& o, MtxCellStream::CellFn on_cell);
    ~TenxCellStream();

    const std::vector<std::string>& gene_ids() const { return gene_ids_; }
    const std::vector<std::string>& gene_symbols() const { return gene_symbols_; }
    const std::vector<std::string>& barcodes() const { return barcodes_; }
    const std::vector<std::string>& notes() const { return notes_; }

    void feed(std::string_view matrix_bytes);
    // Throws InputError for a cut or incomplete matrix; afterwards every cell has been emitted.
    void finish();

private:
    void pass(std::string_view matrix_bytes);
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::vector<std::string> gene_ids_, gene_symbols_, barcodes_, notes_;
};

}  // namespace scpt::io
