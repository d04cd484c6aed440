// Reading the 10x matrix inside an archive file as users download it: a .tar, .tar.gz/.tgz (how
// Cell Ranger outputs are shared) or .zip. core/io/archive.* reads the structure and
// core/io/tenx_archive.* picks the matrix (the filtered one when there are several, with a note);
// here the file is read, a tar.gz is gunzipped as a stream (twice: once to list, once to take
// the chosen members, so only those are ever held), and zip members are inflated.
#pragma once
#include <string>
#include <string_view>

#include "core/data/cell_matrix.hpp"
#include "core/io/read_options.hpp"

namespace scpt::native {

// True when the first bytes of a file are a zip, a tar, or a gzip whose start is a tar.
bool is_archive(std::string_view head);

// Reads the chosen 10x matrix of the archive at `path` (messages name the archive and member).
CellMatrix read_tenx_archive(const std::string& path, const io::ReadOptions& o);

}  // namespace scpt::native
