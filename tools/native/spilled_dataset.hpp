// A dataset of `scpt pretrain --chunk-cells` read back from disk a chunk of cells at a time
// (core/train/cell_chunks.hpp): at open the file is read once and its stored values written to
// an unlinked scratch file (4-byte gene index + 4-byte value each; 8 bytes per cell of offsets
// stay in memory), so that any run of cells can be read again with one seek, in any order, as
// K-means passes and shuffled chunk orders need. A 10x folder or matrix.mtx[.gz] is streamed
// into it chunk by chunk (tools/native/tenx_file_stream.hpp: memory holds one chunk); other
// formats are read whole once, then spilled and dropped (memory holds that one dataset at start).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/read_options.hpp"
#include "core/train/cell_chunks.hpp"

namespace scpt::native {

class SpilledDataset : public train::CellChunkSource {
public:
    // Throws InputError naming `path` (unreadable input) or `scratch_dir` (cannot write there).
    SpilledDataset(const std::string& path, const std::string& scratch_dir, const io::ReadOptions& ro,
                   int64_t chunk_cells = 4096);
    ~SpilledDataset() override;
    SpilledDataset(const SpilledDataset&) = delete;
    SpilledDataset& operator=(const SpilledDataset&) = delete;

    int64_t cells() const override { return int64_t(offsets_.size()) - 1; }
    int64_t stored_values() const override { return offsets_.back(); }
    const CellMatrix& genes() const override { return genes_; }
    CellMatrix read(int64_t first, int64_t count) override;

    // Bytes of the scratch file (for messages and benchmarks).
    int64_t scratch_bytes() const { return stored_values() * 8; }

private:
    void append(const CellMatrix& chunk);
    std::string path_, scratch_;
    CellMatrix genes_;
    std::vector<int64_t> offsets_{0};  // per cell, into the stored values
    int fd_ = -1;                      // entries: int32 gene, float value
};

// The scratch folder: $TMPDIR, else /tmp.
std::string default_scratch_dir();

}  // namespace scpt::native
