#include "tools/scpt/quantize_check.hpp"

#include <algorithm>
#include <cmath>

#include "core/data/gene_match.hpp"
#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/model/encode.hpp"
#include "tools/native/input.hpp"

namespace scpt::cli {
namespace {

// Up to `n` cells of m, evenly spaced, as a new matrix (stored entries only; names are not needed).
CellMatrix spaced_cells(const CellMatrix& m, int64_t n) {
    if (m.n_cells <= n) return m;
    CellMatrix s;
    s.n_cells = n;
    s.n_genes = m.n_genes;
    s.indptr.push_back(0);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t c = i * m.n_cells / n;
        for (int64_t k = m.indptr[size_t(c)]; k < m.indptr[size_t(c) + 1]; ++k) {
            s.indices.push_back(m.indices[size_t(k)]);
            s.values.push_back(m.values[size_t(k)]);
        }
        s.indptr.push_back(int64_t(s.values.size()));
    }
    return s;
}

}  // namespace

QuantizeCheck check_quantization(const std::string& data_path, const Model& model, const EncoderWeights& original,
                                 const EncoderWeights& converted, int64_t max_cells, const RunControl& control) {
    QuantizeCheck r;
    native::ReadOptions ro;
    ro.control = &control;
    CellMatrix x = native::read_input(data_path, ro);
    if (x.n_cells == 0) throw input_error(data_path, "has no cells to check the quantized model on");
    control.check_cancel();

    GeneMatchOptions go;
    go.data_name = data_path;
    go.vocab_name = "the model";
    const GeneMatch match = match_genes(x, model.info.genes, go);
    r.genes_matched = match.matched;

    x = spaced_cells(x, std::max<int64_t>(1, max_cells));
    TransformOptions to;
    to.what = data_path;
    const CellTransform t = plan_transform(detect_value_kind(x), model.info.transform, to, &r.warnings);
    apply_transform(x, t, &control);
    r.transform = t.description();

    const RowMatrix a = encode(x, match.column_to_vocab, original, {}, control);
    const RowMatrix b = encode(x, match.column_to_vocab, converted, {}, control);
    double sum = 0;
    for (int64_t i = 0; i < a.size(); ++i) {
        const double d = std::fabs(double(a.data()[i]) - double(b.data()[i]));
        r.max_abs = std::max(r.max_abs, d);
        sum += d;
    }
    r.cells = x.n_cells;
    r.mean_abs = a.size() ? sum / double(a.size()) : 0.0;
    return r;
}

}  // namespace scpt::cli
