// Annotation as both front ends run it, one request in, one outcome out. The flow follows from
// what the user gave:
//   labels for the reference      -> fine-tune and label (annotate.hpp), the query or the
//                                    reference's own unlabelled cells;
//   a classifier of the model     -> it labels the cells (stored_classifier.hpp), with a warning
//                                    when it does not fit them (classifier_fit.hpp);
//   neither                       -> K-means groups (group_cells.hpp).
// The front ends read the files (tools/, wasm/ + web/) and show the outcome; the table is
// predictions_table.hpp's.
#pragma once
#include <string>
#include <vector>

#include "core/annotate/annotate.hpp"
#include "core/app/annotate_settings.hpp"
#include "core/app/group_cells.hpp"
#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"

namespace scpt::app {

struct AnnotateRequest {
    const CellMatrix* reference = nullptr;  // with labels: the cells to train on
    std::vector<std::string> labels;        // per reference cell ("" = predict it); empty: no labels
    const CellMatrix* query = nullptr;      // the cells to label (null: the reference's own)
    const Model* model = nullptr;           // null: no pre-training
    std::string classifier;                 // the model's reference classifier to label with
    AnnotateSettings settings;
    // The user named the model: it must fit the genes. The shipped default steps aside instead
    // (a warning, then training without pre-training).
    bool model_named = false;
    bool keep_embedding = false;            // Predictions::embedding / Groups::points for a map
    const OrthologTable* orthologs = nullptr;
    std::string reference_name = "the reference", query_name = "the query", labels_name = "the labels",
                model_name = "the model";
    std::vector<std::string> warnings;      // the front end's own (reading the labels, the model)
};

enum class Flow { Reference, Classifier, Groups };
const char* flow_name(Flow f);  // "reference", "classifier", "groups"

struct AnnotateOutcome {
    Flow flow = Flow::Reference;
    std::vector<std::string> classes;    // the types, or the groups' names
    annotate::Predictions predictions;   // Groups: label = group, best = group, no confidence
    annotate::FitSummary fit;            // Reference
    const ReferenceClassifier* classifier = nullptr;  // Classifier (points into the model)
    Groups groups;                       // Groups (its codes are predictions.label)
    std::vector<std::string> warnings;   // everything the user should hear, each once
};

// The options core's flows get from a request: its settings with its names, model rule and orthologs.
annotate::AnnotateOptions annotate_options(const AnnotateRequest& request);

// Appends each of `more` that `to` does not hold yet (a warning is said once).
void say_once(std::vector<std::string>& to, const std::vector<std::string>& more);

// Throws InputError for a request that names no cells, a classifier without a model or of
// another name, or what the flows refuse.
AnnotateOutcome run_annotate(const AnnotateRequest& request, const RunControl& control = {});

}  // namespace scpt::app
