// What quantizing costs on real cells: the encoder outputs (sigmoid) of the original and the
// converted encoder on a dataset, compared. Used by `scpt quantize --check DATA`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model.hpp"
#include "core/util/run_control.hpp"

namespace scpt::cli {

struct QuantizeCheck {
    int64_t cells = 0;          // cells compared (at most max_cells, evenly spaced)
    int64_t genes_matched = 0;  // model genes found in the data
    double max_abs = 0, mean_abs = 0;
    std::string transform;      // what was done to the values
    std::vector<std::string> warnings;
};

// Reads `data_path` (any input scpt reads), transforms its values as `model` expects, matches its
// genes to the model's vocabulary and encodes up to max_cells cells with both encoders.
QuantizeCheck check_quantization(const std::string& data_path, const Model& model, const EncoderWeights& original,
                                 const EncoderWeights& converted, int64_t max_cells, const RunControl& control);

}  // namespace scpt::cli
