// Majority voting over over-clusters of the query, as CellTypist's `majority_voting`: the query's
// cells are split into many small clusters of similar cells, and every cell of a cluster takes the
// label most of them were given one by one. A cell given a wrong type among neighbours that agree
// is corrected, and a cluster mostly Unassigned is Unassigned as a whole (Unassigned counts as a
// label). A cluster whose top label is tied keeps its cells' own labels.
//
// The over-clusters: K-means on the query's own principal components (`components` of its
// `variable_genes` most variable genes, counts per 10k + log1p), so that a group the reference
// lacks is a cluster of its own; k = cells / cells_per_cluster, but at least clusters_per_type per
// reference type (a small query of many types is not merged into a few clusters: measured on the
// 24 within-dataset sets, k = cells / 20 alone fell from 0.86 to 0.53 mean macro-F1 on test sets
// of 50-200 cells), at most max_clusters and half the cells.
//
// Measured on the 41 shift and held-out pairs of tools/eval/shift (EVALUATION.md, "Majority
// voting"): clusters of about 20 cells; larger ones merge a held-out type into its neighbours.
#pragma once
#include <cstdint>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/util/run_control.hpp"

namespace scpt::annotate {

struct MajorityVoteOptions {
    bool enabled = false;
    int cells_per_cluster = 20;   // over-cluster size the number of clusters aims at
    int clusters_per_type = 5;    // at least this many clusters per reference type
    int max_clusters = 500;       // bounds K-means' cost on large queries (clusters then grow)
    int components = 30;          // principal components clustered
    int variable_genes = 2000;    // most variable genes the components are computed on
    double min_share = 0.0;       // a cluster whose top label has a smaller share keeps per-cell labels
    int64_t chunk_cells = 2048;   // cells transformed per step when the genes are chosen
    uint64_t seed = 0;
};

// Over-cluster ids (in [0, k)) of the listed rows of m, in their order, for a reference of `types`
// types. m holds the user's values (counts, or normalised: transformed as detect_value_kind finds
// them; scaled values are taken as they are when allow_scaled). Throws std::invalid_argument for
// options out of range.
std::vector<int32_t> over_cluster(const CellMatrix& m, const std::vector<int64_t>& rows, int types,
                                  const MajorityVoteOptions& options, bool allow_scaled,
                                  const RunControl& control = {});

// Each cell's label becomes the most frequent label of its cluster (-1 = Unassigned counts as a
// label), unless two labels tie for it or its share of the cluster is below min_share.
std::vector<int32_t> majority_labels(const std::vector<int32_t>& cluster, const std::vector<int32_t>& labels,
                                     double min_share = 0.0);

}  // namespace scpt::annotate
