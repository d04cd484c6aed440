#include "core/train/pretrain_corpus.hpp"

#include <cstdio>

#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/data/vocabulary.hpp"
#include "core/train/mapped_matrix.hpp"
#include "core/util/error.hpp"

namespace scpt::train {

namespace {

// What other ranks need of a dataset to build the vocabulary and the model's notes.
struct Descriptor {
    int64_t index = 0, cells = 0;
    std::string name;
    Species species = Species::Unknown;
    CellMatrix genes;  // gene names only: n_cells = 0
    std::vector<std::string> notes;
};

std::string pack(const CorpusDataset& d, int64_t index, const std::vector<std::string>& notes) {
    std::vector<std::string> f = {std::to_string(index), std::to_string(d.matrix.n_cells), d.name,
                                  std::to_string(int(d.species)), pack_strings(d.matrix.gene_ids),
                                  pack_strings(d.matrix.gene_symbols), pack_strings(notes)};
    return pack_strings(f);
}

Descriptor unpack(const std::string& bytes) {
    const auto f = unpack_strings(bytes);
    if (f.size() != 7) throw InputError("pre-training ranks exchanged a malformed dataset description");
    Descriptor d;
    d.index = std::stoll(f[0]);
    d.cells = std::stoll(f[1]);
    d.name = f[2];
    d.species = Species(std::stoi(f[3]));
    d.genes.gene_ids = unpack_strings(f[4]);
    d.genes.gene_symbols = unpack_strings(f[5]);
    d.genes.n_genes = int64_t(d.genes.gene_symbols.size());
    d.genes.indptr = {0};
    d.notes = unpack_strings(f[6]);
    return d;
}

}  // namespace

PretrainedModel pretrain_model(std::vector<CorpusDataset>& datasets, const CorpusOptions& o, const RunControl& rc) {
    Collective* comm = o.comm && o.comm->size() > 1 ? o.comm : nullptr;
    if (datasets.empty() && !comm) throw InputError("pre-training needs at least one dataset");
    PretrainedModel out;
    std::vector<std::vector<std::string>> local_notes;
    for (auto& d : datasets) {
        rc.check_cancel();
        const ValueSummary values = detect_value_kind(d.matrix);
        TransformOptions to;
        to.what = d.name;
        std::vector<std::string> warnings;
        CellTransform t = plan_transform(values, o.transform, to, &warnings);
        apply_transform(d.matrix, t, &rc);
        std::vector<std::string> notes;
        notes.push_back(d.name + ": " + std::to_string(d.matrix.n_cells) + " cells, " +
                        std::to_string(d.matrix.n_genes) + " genes, " + value_kind_name(values.kind) + " (" +
                        values.explanation + "): " + t.description());
        for (auto& w : warnings) notes.push_back(d.name + ": " + w);
        local_notes.push_back(std::move(notes));
    }
    // The corpus in corpus order: this rank's datasets as they are, the others' as gene lists.
    std::vector<int64_t> index(datasets.size());
    for (size_t i = 0; i < datasets.size(); ++i)
        index[i] = comm && datasets[i].corpus_index >= 0 ? datasets[i].corpus_index : int64_t(i);
    std::vector<Descriptor> remote;
    std::vector<int64_t> local_at;  // corpus index -> local position, or -1
    std::vector<const Descriptor*> remote_at;
    if (comm) {
        std::vector<std::string> mine;
        for (size_t i = 0; i < datasets.size(); ++i) mine.push_back(pack(datasets[i], index[i], local_notes[i]));
        for (const auto& r : comm->allgather(pack_strings(mine))) {
            for (const auto& one : unpack_strings(r)) remote.push_back(unpack(one));
        }
    } else {
        for (size_t i = 0; i < datasets.size(); ++i) {
            Descriptor d;
            d.index = index[i];
            d.cells = datasets[i].matrix.n_cells;
            d.notes = local_notes[i];
            remote.push_back(std::move(d));
        }
    }
    const size_t N = remote.size();
    local_at.assign(N, -1);
    remote_at.assign(N, nullptr);
    for (const auto& d : remote) {
        if (d.index < 0 || d.index >= int64_t(N) || remote_at[size_t(d.index)])
            throw InputError("pre-training shards do not cover the corpus once (dataset index " + std::to_string(d.index) + ")");
        remote_at[size_t(d.index)] = &d;
    }
    for (size_t i = 0; i < datasets.size(); ++i) local_at[size_t(index[i])] = int64_t(i);
    std::vector<VocabularySource> sources;
    std::vector<int64_t> corpus_rows;
    for (size_t c = 0; c < N; ++c) {
        const Descriptor& d = *remote_at[c];
        for (const auto& n : d.notes) out.notes.push_back(n);
        corpus_rows.push_back(d.cells);
        if (local_at[c] >= 0) {
            auto& ds = datasets[size_t(local_at[c])];
            sources.push_back({ds.name, &ds.matrix, ds.species});
        } else {
            sources.push_back({d.name, &d.genes, d.species});
        }
    }
    VocabularyOptions vo;
    vo.min_datasets = o.min_datasets;
    Vocabulary vocab = build_vocabulary(sources, o.orthologs, o.ensembl_ids, vo);
    for (auto& n : vocab.notes) out.notes.push_back(n);
    const int64_t V = int64_t(vocab.genes.size());

    std::vector<MappedMatrix> mapped;
    for (size_t i = 0; i < datasets.size(); ++i) {
        mapped.push_back(map_columns(datasets[i].matrix, vocab.matches[size_t(index[i])].column_to_vocab, V));
        datasets[i].matrix = CellMatrix();  // the mapped copy is all pre-training needs
    }
    std::vector<PretrainDataset> sets;
    for (size_t i = 0; i < datasets.size(); ++i) sets.push_back({datasets[i].name, mapped[i].csr()});
    PretrainShard shard;
    shard.comm = comm;
    shard.corpus_rows = corpus_rows;
    shard.corpus_index = index;
    out.training = pretrain(sets, o.pretrain, rc, shard, o.checkpoint);

    Model& m = out.model;
    m.info.transform = o.transform;
    m.info.genes = std::move(vocab.genes);
    for (size_t c = 0; c < N; ++c)
        m.info.datasets.push_back(local_at[c] >= 0 ? datasets[size_t(local_at[c])].name : remote_at[c]->name);
    m.info.seed = o.pretrain.seed;
    m.info.tool_version = SCPT_VERSION;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "scPretrain pre-training: %zu datasets, %lld genes, %s, hidden %d, %d phase(s), up to %d epochs "
                  "per phase, lr %g, %d batches per epoch, patience %d; ",
                  N, (long long)V, transform_name(o.transform), o.pretrain.hidden, o.pretrain.phases,
                  o.pretrain.max_epochs, o.pretrain.lr, o.pretrain.batches_per_epoch, o.pretrain.patience);
    m.info.notes = buf;
    const auto& log = out.training.log;
    if (!log.empty()) {
        std::snprintf(buf, sizeof buf, "%zu epochs, final loss %.4f", log.size(), log.back().loss);
        m.info.notes += buf;
    }
    m.encoder = std::move(out.training.encoder);
    return out;
}

}  // namespace scpt::train
