// 10x Cell Ranger matrix folders from the bytes of their three files (each plain or gzipped):
//   v2: matrix.mtx, genes.tsv (gene_id, symbol), barcodes.tsv
//   v3: matrix.mtx.gz, features.tsv.gz (id, name, feature_type[, genome...]), barcodes.tsv.gz
// Genes are the matrix rows and cells its columns. Features whose type is not "Gene Expression"
// (Antibody Capture, CRISPR Guide Capture, Peaks) are set aside with a note unless
// ReadOptions::keep_all_features. A matrix whose dimensions match the two lists the other way
// round is read transposed (with a note). A header line in features/barcodes is tolerated.
#pragma once
#include <string>
#include <string_view>

#include "core/data/cell_matrix.hpp"
#include "core/io/read_options.hpp"

namespace scpt::io {

struct TenxFolderInput {
    std::string_view matrix, features, barcodes;  // file contents, each plain or gzip
    std::string matrix_name = "matrix.mtx";       // names used in messages
    std::string features_name = "features.tsv";
    std::string barcodes_name = "barcodes.tsv";
};

CellMatrix read_tenx_folder(const TenxFolderInput& in, const ReadOptions& o = {});

// One entry of a features/genes list.
struct FeatureRow {
    std::string id, name, type;  // type empty for v2 lists
};
// Parses features.tsv / genes.tsv (plain or gzip, streamed): 1, 2 or 3+ tab-separated columns.
// More genes than limits.max_genes, or a line longer than limits.max_line_bytes, is refused.
std::vector<FeatureRow> parse_features(std::string_view bytes, const std::string& what, const Limits& limits = {});
// The gene map that sets aside features whose type is not "Gene Expression" (empty map: keep all),
// with a note naming what was set aside. Returns the number of kept genes.
int64_t tenx_feature_gene_map(const std::vector<FeatureRow>& feats, bool keep_all, const std::string& what,
                              std::vector<int32_t>& map, std::vector<std::string>& notes);
// Parses barcodes.tsv (plain or gzip, streamed): the first column of each line; at most
// limits.max_cells lines.
std::vector<std::string> parse_barcodes(std::string_view bytes, const std::string& what, const Limits& limits = {});

}  // namespace scpt::io
