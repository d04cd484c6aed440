// What a fitted Annotator holds (annotate.hpp): the gene space, the frozen encoder's rows, the
// head's features and classifier, the typicality calibration. Private to core/annotate: the
// fitting steps (annotator_fit.cpp) fill it, prediction (annotate.cpp) reads it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/annotate/marker_genes.hpp"
#include "core/annotate/space_cells.hpp"
#include "core/annotate/typicality.hpp"
#include "core/model/encode.hpp"
#include "core/nn/activation.hpp"
#include "core/stats/logistic.hpp"
#include "core/stats/pca.hpp"

namespace scpt::annotate {

struct AnnotatorState {
    CellMatrix reference_genes;  // names only: what other matrices are matched against
    GeneSpaceOptions gene_options;
    GeneSpace space;
    train::Classifier clf;                 // Head mode: fc1 and fc2 only
    EncoderWeights frozen;                 // Head mode: the encoder rows of the space's known genes (q8 or f32)
    std::vector<int32_t> frozen_row;       // per space gene: row of `frozen`, or -1
    // Head mode: the head sees ([h, reference PCs] - mean) * scale (empty scale: h as it is).
    Eigen::RowVectorXf h_mean, h_scale;
    std::optional<PcaResult> pcs;          // Head mode with reference_pcs > 0
    std::vector<int32_t> marker_slot;      // per space gene: its place among the marker genes, or -1
    int64_t n_markers = 0;                 // Head mode's linear head with reference_genes > 0
    LogisticRegression linear;             // Head mode, HeadClassifier::Linear
    bool use_linear = false;
    // Head mode whose genes could not meet the model: the linear head on the reference PCs alone.
    bool no_encoder = false;

    // The frozen encoder's output for cells in the space (no columns without an encoder).
    nn::Matrix encoded(const CellMatrix& cells, const RunControl& control) const {
        return no_encoder ? nn::Matrix(cells.n_cells, 0) : encode(cells, frozen_row, frozen, {}, control);
    }

    // The marker genes' values of the listed rows of m (columns: marker_column, values: t).
    nn::Matrix marker_block(const CellMatrix& m, const int64_t* rows, int64_t n, const std::vector<int32_t>& marker_column,
                            const CellTransform& t) const {
        if (n_markers == 0) return nn::Matrix(n, 0);
        return dense_cells(space_rows(m, rows, n, marker_column, n_markers, t));
    }

    // What the head takes for cells whose encoder output is h (cells: the same cells, in the
    // space; markers: their marker_block).
    nn::Matrix head_input(const nn::Matrix& h, const CellMatrix& cells, const nn::Matrix& markers) const {
        if (h_scale.size() == 0) return h;
        nn::Matrix f(h.rows(), h_scale.size());
        f.leftCols(h.cols()) = h;
        if (pcs) f.middleCols(h.cols(), pcs->loadings.cols()) = pca_project(*pcs, cells);
        if (n_markers > 0) f.rightCols(n_markers) = markers;
        f = (f.rowwise() - h_mean).array().rowwise() * h_scale.array();
        // As CellTypist clips scaled genes: one cell's outlier count cannot swing the logits.
        if (n_markers > 0) f.rightCols(n_markers) = f.rightCols(n_markers).cwiseMax(-10.f).cwiseMin(10.f);
        return f;
    }
    // Logits of the head; `act`: the representation typicality uses in the Penultimate space.
    void head(const nn::Matrix& z, nn::Matrix& act, nn::Matrix& logits) const {
        if (use_linear) {
            act = z;
            logits = linear.decision_function(z);
            return;
        }
        clf.fc1.forward(z, act);
        nn::sigmoid_inplace(act);
        clf.fc2.forward(act, logits);
    }
    Typicality typicality;
};

}  // namespace scpt::annotate
