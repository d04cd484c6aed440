// The datasets of `scpt pretrain`: the command line's paths and a corpus manifest (--corpus FILE:
// one dataset path a line, any format scpt reads; blank lines and lines starting with # are skipped;
// a relative path is relative to the manifest's folder), and, under mpirun, which of them this rank
// reads (core/train/collective.hpp: whole datasets, balanced by cells).
#pragma once
#include <string>
#include <vector>

#include "core/train/collective.hpp"
#include "core/train/pretrain_corpus.hpp"
#include "core/util/run_control.hpp"

namespace scpt::native {

// The paths a manifest's text lists. Throws InputError naming `manifest` when it lists nothing.
std::vector<std::string> parse_corpus_manifest(const std::string& text, const std::string& manifest);

// Reads this rank's datasets of `paths` (the whole corpus, in corpus order), each with its
// corpus_index. With one rank: all of them. With several: each rank first reads every size-th
// dataset to count its stored values (the counts are allgathered), balance_datasets assigns them, and a
// rank keeps the ones it owns and reads the others assigned to it (so a dataset that changes hands
// is read twice at start-up). Every rank learns the same assignment (returned in owner).
// scratch_dir non-empty: out of core, every dataset is spilled there and read back in chunks
// (spilled_dataset.hpp) instead of held as a matrix.
std::vector<train::CorpusDataset> read_shard(const std::vector<std::string>& paths, train::Collective& comm,
                                             const RunControl& rc, std::vector<int>* owner = nullptr,
                                             const std::string& scratch_dir = "");

}  // namespace scpt::native
