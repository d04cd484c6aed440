// From the matrices a user gives `scpt pretrain` to a Model: each dataset's values are
// transformed as the model will expect them (detect_value_kind + plan_transform: raw counts are
// log1p'd, log data are not logged twice, z-scores are refused), the shared vocabulary is built
// over every dataset (human and mouse genes joined through the ortholog table when given), each
// dataset is carried into it, and the encoder is pre-trained (pretrain.hpp).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/data/gene_id_table.hpp"
#include "core/data/gene_names.hpp"
#include "core/data/orthologs.hpp"
#include "core/model/model.hpp"
#include "core/train/cell_chunks.hpp"
#include "core/train/pretrain.hpp"
#include "core/util/run_control.hpp"

namespace scpt::train {

struct CorpusDataset {
    std::string name;    // shown in messages and stored in the model (e.g. the folder's name)
    CellMatrix matrix;   // as read; consumed (emptied) by pretrain_model to bound memory
    // Out of core: set, the dataset is read from here a chunk at a time (matrix stays empty): a
    // pass for its value kind (the cells detect_value_kind examines), then K-means passes and
    // the steps' chunks, each transformed and carried into the vocabulary as it is read. The
    // chunk sizes are pretrain.chunk_cells's (0: the whole dataset is read at once, each time).
    std::shared_ptr<CellChunkSource> source;
    Species species = Species::Unknown;  // Unknown: guessed from the gene names
    int64_t corpus_index = -1;  // its place in the whole corpus when sharded; -1: its place in the list
};

struct CorpusOptions {
    // Counts per 10k then log1p: transfers better across technologies than scPretrain's log1p of raw
    // counts (measured on the PBMC 10x v1/v2 pairs, EVALUATION.md; docs/ANNOTATE.md).
    Transform transform = Transform::CountsPer10kLog1p;
    const OrthologTable* orthologs = nullptr;  // joins human and mouse datasets; may be null
    const GeneIdTable* ensembl_ids = nullptr;  // names Ensembl-only datasets; may be null
    int64_t min_datasets = 1;                  // keep genes present in at least this many datasets
    PretrainOptions pretrain;
    // Data-parallel (collective.hpp): this process holds its shard of the corpus (the datasets'
    // corpus_index say where they stand); gene sets, sizes and notes are allgathered so that every
    // rank builds the same vocabulary in corpus order. Null or size 1: the datasets are the corpus.
    Collective* comm = nullptr;
    PretrainCheckpoint checkpoint;  // pretrain.hpp
};

// The model of a sharded run is the same on every rank (info lists every corpus dataset; notes are
// the corpus's, in corpus order); only rank 0 needs to write it.
struct PretrainedModel {
    Model model;                  // info (transform, genes, datasets, seed, notes) + F32 encoder
    PretrainResult training;      // the loss log and cluster counts (its encoder is moved into model)
    std::vector<std::string> notes;  // what the user should hear (transforms chosen, genes left out)
};

// Throws InputError naming the dataset for unusable input (scaled values, no gene names, too few
// cells); Cancelled on control.cancel. model.info.created is left for the caller (core has no clock).
PretrainedModel pretrain_model(std::vector<CorpusDataset>& datasets, const CorpusOptions& options,
                               const RunControl& control = {});

}  // namespace scpt::train
