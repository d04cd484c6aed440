// Principal components of a sparse cells x genes matrix, centred implicitly (the sparse matrix is
// never densified), by randomized subspace iteration (Halko, Martinsson & Tropp 2011). Used by
// `scpt eval` to compare the encoder's embedding with PCA-200, as the paper does.
#pragma once
#include <Eigen/Dense>
#include <cstdint>

#include "core/data/cell_matrix.hpp"
#include "core/util/run_control.hpp"

namespace scpt {

struct PcaOptions {
    int components = 200;   // clipped to min(cells, genes) - 1
    int oversample = 10;    // extra random directions for accuracy
    int power_iters = 4;    // subspace iterations; 4 is plenty for scRNA-seq spectra
    uint64_t seed = 0;
};

struct PcaResult {
    Eigen::MatrixXf scores;        // cells x components (the embedding)
    Eigen::VectorXf variance;      // variance explained by each component, descending
    // genes x components (unit columns), row-major so a gene's row is contiguous for projecting
    // sparse cells: scores = (x - mean) loadings.
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> loadings;
    Eigen::VectorXf mean;          // genes
};

// x holds the (already transformed, e.g. log1p) values.
PcaResult pca(const CellMatrix& x, const PcaOptions& opt, const RunControl& control = {});

// Scores of other cells (same genes, same transform) on fitted components: (x - mean) loadings.
// For the fitted cells this is the exact projection that `scores` approximates.
Eigen::MatrixXf pca_project(const PcaResult& p, const CellMatrix& x);

}  // namespace scpt
