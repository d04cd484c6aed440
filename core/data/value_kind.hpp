// What kind of numbers a matrix holds, so that the model's transform is applied once and only
// where it makes sense. Rules, in order (measured on every dataset of ../shared/data, see
// tests/core/data/value_kind_test.cpp):
//   scaled          more than 0.1% of stored values are negative (z-scores, regressed data)
//   raw_counts      at least 99.9% of non-zero values are integers
//   normalized      per-cell totals are constant (CPM, fractions of 1), or the maximum exceeds
//                   `log_max` (TPM, FPKM, expected counts: non-integer, large)
//   log_normalized  non-integer, non-negative, maximum <= log_max (ln/log2/log10 of x+1)
// For log_normalized values the base is identified when un-logging (b^x - 1) makes per-cell totals
// constant (coefficient of variation < constant_cv): e.g. Tabula Muris log2(CPM+1). Then the
// transform can undo the log exactly; otherwise values are used as they are.
#pragma once
#include <cstdint>
#include <string>

#include "core/data/cell_matrix.hpp"

namespace scpt {

enum class ValueKind { RawCounts, LogNormalized, Normalized, Scaled };
// "raw_counts", "log_normalized", "normalized", "scaled"
const char* value_kind_name(ValueKind k);

struct ValueKindOptions {
    double log_max = 30.0;             // largest value still read as log scale
    double integer_fraction = 0.999;   // fraction of integer non-zeros for raw counts
    double negative_fraction = 0.001;  // fraction of negatives for scaled data
    double constant_cv = 0.01;         // per-cell totals with a smaller CV are "constant"
    int64_t max_cells = 20000;         // cells examined (evenly spaced) to keep it fast
};

struct ValueSummary {
    ValueKind kind = ValueKind::RawCounts;
    int64_t cells_examined = 0, values_examined = 0;
    int64_t negatives = 0, non_integers = 0;
    double min = 0, max = 0;
    double log_base = 0;    // log_normalized: 2.718.., 2 or 10 when identified, else 0
    double cell_total = 0;  // the constant per-cell total (after un-logging), else 0
    std::string explanation;  // one line for the user: "non-negative integers up to 777"
};

ValueSummary detect_value_kind(const CellMatrix& m, const ValueKindOptions& o = {});

}  // namespace scpt
