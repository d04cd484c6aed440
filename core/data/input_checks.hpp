// What every matrix a user supplies goes through before it is used (native read_input, the wasm
// readers): the structural invariants (CellMatrix::validate), then the decisions of
// docs/BAD_INPUTS.md for inputs that are readable but odd:
//   errors (InputError): no cells, no genes, not one non-zero value (nothing to annotate);
//   notes (m.notes, shown to the user, the data kept as is): cells without any value (they cannot
//   be annotated), barcodes shared by several cells (labels given by barcode are ambiguous),
//   gene names that appear more than once (gene matching keeps the first).
#pragma once
#include <string>

#include "core/data/cell_matrix.hpp"

namespace scpt {

void check_input_matrix(CellMatrix& m, const std::string& what);

}  // namespace scpt
