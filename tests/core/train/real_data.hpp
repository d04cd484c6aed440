// Shared real datasets for the learning tests: read with the project's reader and transformed
// (log1p by default, as scPretrain expects), with the labels.tsv classes as integers.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/model/model.hpp"
#include "tests/test_data.hpp"
#include "tools/native/input.hpp"

namespace scpt::test {

struct LabelledData {
    CellMatrix m;
    std::vector<int32_t> labels;  // -1 where a cell has no label
    std::vector<std::string> classes;
};

inline LabelledData read_transformed(const std::string& name, Transform t = Transform::Log1p) {
    LabelledData d;
    d.m = native::read_input(data_path(name));
    apply_transform(d.m, plan_transform(detect_value_kind(d.m), t, {}, nullptr));
    if (const ObsColumn* c = d.m.find_obs("label")) {
        d.labels = c->codes;
        d.classes = c->levels;
    }
    return d;
}

}  // namespace scpt::test
