// Options every reader understands (each uses the ones that concern its format). Defaults are the
// behaviour a user gets without flags.
#pragma once
#include <string>

#include "core/util/limits.hpp"
#include "core/util/run_control.hpp"

namespace scpt::io {

// Which axis of a text matrix holds the cells. Auto: decided by the reader (see delimited.hpp),
// and the choice is reported in CellMatrix::notes.
enum class Orientation { Auto, CellsAreRows, GenesAreRows };

struct ReadOptions {
    // 10x HDF5: the genome to read. v2 files (one group per genome): default the first group in
    // name order. v3 files: default all features of every genome.
    std::string genome;
    // AnnData: read raw/X with raw/var instead of X and var.
    bool use_raw = false;
    // AnnData: read layers/<layer> instead of X (e.g. "counts").
    std::string layer;
    // AnnData/Loom: the gene (var/row attribute) column holding gene symbols. Default: the index,
    // or, when the index holds Ensembl ids, the first of feature_name, gene_symbols, ... found.
    std::string gene_column;
    // CSV/TSV and lone Matrix Market files: which axis is cells. Matrix Market defaults to the 10x
    // convention (genes are rows) unless the neighbouring features/barcodes files say otherwise.
    Orientation orientation = Orientation::Auto;
    // 10x: keep features that are not "Gene Expression" (Antibody Capture, CRISPR, Peaks).
    bool keep_all_features = false;
    Limits limits;
    const RunControl* control = nullptr;  // progress ("read") and cancel; may be null
};

}  // namespace scpt::io
