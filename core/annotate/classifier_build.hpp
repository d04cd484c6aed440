// Building a reference classifier to ship inside a model file (stored_classifier.hpp predicts
// with it): annotate's Head mode (linear head on the frozen encoder's outputs plus the
// reference's principal components) fitted on a panel of the reference's genes that the model
// knows. The panel is the most variable genes (of the model-transformed values): it bounds the
// stored principal-component loadings (genes x components) so that a few classifiers fit in a
// model of a few megabytes, and every panel gene is an encoder row so the query's genes can be
// matched through the names the model carries (either species).
#pragma once
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"
#include "core/util/run_control.hpp"

namespace scpt::annotate {

struct ClassifierBuildOptions {
    std::string name;                // [A-Za-z0-9_-]{1,64}
    std::string description;         // tissue, species, sources, held-out accuracy
    int64_t genes = 3000;            // panel size (most variable genes the model knows)
    int reference_pcs = 50;          // principal components of the panel (annotate's default)
    double min_probability = 0.5;    // the Unassigned rule stored with it (CellTypist's default)
    uint64_t seed = 0;
    bool allow_scaled = false;
    LabelRules labels;
    std::string reference_name = "the reference";
    std::string labels_name = "the labels";
};

// The panel: the `count` reference genes known to the model with the largest variance of their
// model-transformed values over the labelled cells (ties: the earlier column), as a matrix of no
// cells whose genes are those columns' names (Annotator::fit's query chooses the genes).
CellMatrix classifier_gene_panel(const CellMatrix& reference, const std::vector<std::string>& labels,
                                 const Model& model, int64_t count, const ClassifierBuildOptions& o);

// Fits and exports. Throws InputError for unusable input (as Annotator::fit), Cancelled when asked.
ReferenceClassifier build_classifier(const CellMatrix& reference, const std::vector<std::string>& labels,
                                     const Model& model, const ClassifierBuildOptions& options,
                                     const RunControl& control = {});

// Adds c to the model, replacing a classifier of the same name (in its place).
void put_classifier(Model& model, ReferenceClassifier c);

}  // namespace scpt::annotate
