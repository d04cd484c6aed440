// Labelling cells with a reference classifier shipped inside a model file (the "model zoo"):
// users without labels of their own pick a classifier by name (`scpt annotate --classifier NAME`,
// the page's no-label flow). Matrix in, predictions out, like Annotator::predict: no file is
// opened and nothing is printed. The query's genes are matched against the classifier's genes by
// the names the model carries for them (human and mouse symbols, human Ensembl ids), so human and
// mouse data both work without an ortholog table.
//
// Building one: Annotator::fit in Head mode with the linear head on the model's genes, then
// Annotator::export_classifier (annotate.hpp), added to Model::classifiers and written by
// write_model.
#pragma once
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"
#include "core/util/run_control.hpp"

namespace scpt::annotate {

struct ClassifierOptions {
    // Cells whose calibrated probability of their best type is below this are Unassigned.
    // Negative: the classifier's own (stored in its calibration); 0: every cell gets a type.
    double min_probability = -1;
    bool allow_scaled = false;    // accept z-scored values (with a warning) instead of refusing
    int64_t min_matched = 50;     // fewer of the classifier's genes found in the data is an error
    int64_t chunk_cells = 2048;   // cells encoded and predicted per step
    std::string data_name = "the data";  // for messages
    bool keep_embedding = false;  // return the encoder output of every cell
    // When set, filled with one value per cell: the root mean square of its standardised features
    // (Linear head: the reference cells average 1 by construction, so cells far above it are
    // unlike the classifier's reference; classifier_fit.hpp). Left empty for an Mlp head.
    std::vector<float>* feature_rms = nullptr;
};

// The classifier's genes with the names the model carries for them (one per classifier gene, in
// the classifier's order; every model gene for an Mlp head).
std::vector<ModelGene> classifier_genes(const Model& model, const ReferenceClassifier& c);

// Labels every cell of m. Predictions::typicality is 1 (not measured: the classifier does not
// carry the reference's cells). Throws InputError when too few genes match or the values are
// unusable (scaled data), Cancelled when asked.
Predictions predict_with_classifier(const Model& model, const ReferenceClassifier& c, const CellMatrix& m,
                                    const ClassifierOptions& options = {}, const RunControl& control = {});

// The same, by name; throws InputError naming the model's classifiers when there is none of that name.
Predictions predict_with_classifier(const Model& model, const std::string& name, const CellMatrix& m,
                                    const ClassifierOptions& options = {}, const RunControl& control = {});

// "human_pbmc, human_pancreas" or "none", for messages.
std::string classifier_names(const Model& model);

}  // namespace scpt::annotate
