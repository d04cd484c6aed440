// Turns a user's values into what the model's encoder expects (Transform in core/data/model_terms.hpp),
// given what detect_value_kind() found. Decisions:
//   raw_counts      Log1p: log(1+x).  CountsPer10kLog1p: log(1 + 1e4 x / cell total).
//   normalized      treated like counts (TPM/FPKM/CPM are count-like scales): the same formulas,
//                   with a note saying so.
//   log_normalized  base identified (values un-log to constant totals): un-logged exactly
//                   (b^x - 1), then as normalized. Base not identified: used AS THEY ARE, never
//                   logged twice, with a warning saying what was assumed.
//   scaled          REFUSED with InputError (z-scores cannot be turned back into expression, and
//                   an encoder trained on log counts gives meaningless outputs on them), unless
//                   TransformOptions::allow_scaled, which passes them through with a warning.
// The per-cell total for CountsPer10kLog1p is the sum over ALL genes of the cell, so apply the
// transform to the dataset's full rows, before gene matching drops columns.
#pragma once
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/value_kind.hpp"
#include "core/data/model_terms.hpp"
#include "core/util/run_control.hpp"

namespace scpt {

struct TransformOptions {
    bool allow_scaled = false;  // pass scaled data through (with a warning) instead of refusing
    std::string what;           // names the data in messages ("pbmc.h5ad")
};

// A per-cell value map, copyable and cheap, so a streaming encoder can apply it chunk by chunk.
class CellTransform {
public:
    // One cell's stored (non-zero) values, in place. Zeros stay zero under every mode.
    void apply(float* values, size_t n) const;
    // apply() in two steps, for a caller that keeps only some of a cell's values: the cell's
    // factor from all its stored values, then any one value (the same result as apply's).
    double cell_scale(const float* values, size_t n) const;
    float value(float x, double scale) const;
    bool is_identity() const { return identity_; }
    const std::string& description() const { return description_; }

private:
    friend CellTransform plan_transform(const ValueSummary&, Transform, const TransformOptions&, std::vector<std::string>*);
    bool identity_ = false;
    double unlog_ = 0;      // ln(base) when values are first un-logged, else 0
    double per_cell_ = 0;   // scale each cell to this total before log1p, else 0
    std::string description_;
};

// Plans the transform; appends warnings for the user to *warnings (may be null).
// Throws InputError for scaled data unless o.allow_scaled.
CellTransform plan_transform(const ValueSummary& values, Transform target, const TransformOptions& o,
                             std::vector<std::string>* warnings);

// Applies t to every cell of m (in place).
void apply_transform(CellMatrix& m, const CellTransform& t, const RunControl* control = nullptr);

}  // namespace scpt
