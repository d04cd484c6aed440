// The shipped model and the labels of a shared dataset, for the tests that annotate real data.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/model/model_file.hpp"
#include "tools/native/files.hpp"

namespace scpt::test {

inline const Model& shipped_model() {
    static const std::string path = std::string(SCPT_SOURCE_DIR) + "/models/default.scpt";
    static const Model m = read_model(native::read_file(path), {}, path);
    return m;
}

// Per cell, its "label" column ("" when the matrix has none).
inline std::vector<std::string> labels_of(const CellMatrix& m) {
    std::vector<std::string> out;
    const ObsColumn* c = m.find_obs("label");
    for (int64_t i = 0; i < m.n_cells; ++i) out.push_back(c ? c->text(i) : std::string());
    return out;
}

}  // namespace scpt::test
