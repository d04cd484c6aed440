// Which 10x matrix of an archive to read: the one rule the CLI and the page share. A matrix is a
// folder (or a file-name prefix, as GEO names them: GSM1_matrix.mtx.gz) holding matrix.mtx[.gz],
// features.tsv[.gz] or genes.tsv[.gz], and barcodes.tsv[.gz]. One matrix: it is used. Several
// (filtered_feature_bc_matrix/ and raw_feature_bc_matrix/, or one folder per genome): the only one
// whose path says "filtered" is used, with a note saying so; otherwise InputError listing them.
// macOS's __MACOSX/ copies and "._" files are ignored.
#pragma once
#include <string>
#include <vector>

namespace scpt::io {

struct TenxArchiveChoice {
    std::string matrix, features, barcodes;  // member paths
    std::string folder;                      // the matrix's folder and prefix, e.g. "outs/filtered_feature_bc_matrix/"
    std::string note;                        // why this one, when the archive holds several; else empty
};

// `paths`: every member of the archive; `archive_name` names it in messages.
TenxArchiveChoice choose_tenx_members(const std::vector<std::string>& paths, const std::string& archive_name);

}  // namespace scpt::io
