#include "core/train/pretrain_corpus.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/data/vocabulary.hpp"
#include "core/train/mapped_matrix.hpp"
#include "core/train/pretrain_chunks.hpp"
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

int64_t cells_of(const CorpusDataset& d) { return d.source ? d.source->cells() : d.matrix.n_cells; }
const CellMatrix& genes_of(const CorpusDataset& d) { return d.source ? d.source->genes() : d.matrix; }

std::string pack(const CorpusDataset& d, int64_t index, const std::vector<std::string>& notes) {
    const CellMatrix& g = genes_of(d);
    std::vector<std::string> f = {std::to_string(index), std::to_string(cells_of(d)), d.name,
                                  std::to_string(int(d.species)), pack_strings(g.gene_ids),
                                  pack_strings(g.gene_symbols), pack_strings(notes)};
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

// The cells detect_value_kind would examine of the whole dataset (evenly spaced), read in chunks.
CellMatrix value_sample(CellChunkSource& src, int64_t chunk, const ValueKindOptions& vo, const RunControl& rc) {
    const int64_t n = src.cells();
    const int64_t step = std::max<int64_t>(1, (n + vo.max_cells - 1) / std::max<int64_t>(1, vo.max_cells));
    CellMatrix s;
    s.n_genes = src.genes().n_genes;
    s.indptr = {0};
    for (int64_t first = 0; first < n; first += chunk) {
        rc.check_cancel();
        const int64_t count = std::min(chunk, n - first);
        const int64_t c0 = (first + step - 1) / step * step;  // first examined cell of the chunk
        if (c0 >= first + count) continue;
        const CellMatrix c = src.read(first, count);
        for (int64_t r = c0 - first; r < count; r += step) {
            for (int64_t k = c.indptr[size_t(r)]; k < c.indptr[size_t(r) + 1]; ++k) {
                s.indices.push_back(c.indices[size_t(k)]);
                s.values.push_back(c.values[size_t(k)]);
            }
            s.indptr.push_back(int64_t(s.values.size()));
            ++s.n_cells;
        }
    }
    return s;
}

// A streamed dataset's rows as pre-training reads them: transformed and in the vocabulary.
class StreamedRows : public PretrainRows {
public:
    StreamedRows(CellChunkSource& src, CellTransform t, std::vector<int32_t> map, int64_t cols, const RunControl& rc)
        : src_(src), t_(std::move(t)), map_(std::move(map)), cols_(cols), rc_(rc) {}
    nn::CsrRef read(int64_t first, int64_t count) override {
        CellMatrix c = src_.read(first, count);
        apply_transform(c, t_, &rc_);
        m_ = map_columns(c, map_, cols_);
        return m_.csr();
    }
    void release() override { m_ = MappedMatrix(); }

private:
    CellChunkSource& src_;
    CellTransform t_;
    std::vector<int32_t> map_;
    int64_t cols_;
    const RunControl& rc_;
    MappedMatrix m_;
};

}  // namespace

PretrainedModel pretrain_model(std::vector<CorpusDataset>& datasets, const CorpusOptions& o, const RunControl& rc) {
    Collective* comm = o.comm && o.comm->size() > 1 ? o.comm : nullptr;
    if (datasets.empty() && !comm) throw InputError("pre-training needs at least one dataset");
    PretrainedModel out;
    std::vector<std::vector<std::string>> local_notes;
    std::vector<CellTransform> transforms;
    for (auto& d : datasets) {
        rc.check_cancel();
        const ValueSummary values =
            d.source ? detect_value_kind(value_sample(*d.source, kmeans_chunk_rows(d.source->cells(), o.pretrain.chunk_cells),
                                                      ValueKindOptions{}, rc))
                     : detect_value_kind(d.matrix);
        TransformOptions to;
        to.what = d.name;
        std::vector<std::string> warnings;
        CellTransform t = plan_transform(values, o.transform, to, &warnings);
        if (!d.source) apply_transform(d.matrix, t, &rc);
        transforms.push_back(t);
        std::vector<std::string> notes;
        notes.push_back(d.name + ": " + std::to_string(cells_of(d)) + " cells, " +
                        std::to_string(genes_of(d).n_genes) + " genes, " + value_kind_name(values.kind) + " (" +
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
            d.cells = cells_of(datasets[i]);
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
            sources.push_back({ds.name, &genes_of(ds), ds.species});
        } else {
            sources.push_back({d.name, &d.genes, d.species});
        }
    }
    VocabularyOptions vo;
    vo.min_datasets = o.min_datasets;
    Vocabulary vocab = build_vocabulary(sources, o.orthologs, o.ensembl_ids, vo);
    for (auto& n : vocab.notes) out.notes.push_back(n);
    const int64_t V = int64_t(vocab.genes.size());

    std::vector<MappedMatrix> mapped(datasets.size());
    std::vector<std::unique_ptr<StreamedRows>> streams(datasets.size());
    std::vector<PretrainDataset> sets;
    for (size_t i = 0; i < datasets.size(); ++i) {
        const auto& map = vocab.matches[size_t(index[i])].column_to_vocab;
        if (datasets[i].source) {
            streams[i] = std::make_unique<StreamedRows>(*datasets[i].source, transforms[i], map, V, rc);
            PretrainDataset p{datasets[i].name, {}, streams[i].get()};
            p.x.rows = datasets[i].source->cells();
            p.x.cols = V;
            sets.push_back(p);
            continue;
        }
        mapped[i] = map_columns(datasets[i].matrix, map, V);
        datasets[i].matrix = CellMatrix();  // the mapped copy is all pre-training needs
        sets.push_back({datasets[i].name, mapped[i].csr(), nullptr});
    }
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
