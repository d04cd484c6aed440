#include "core/train/pretrain_corpus.hpp"

#include <cstdio>

#include "core/data/transform.hpp"
#include "core/data/value_kind.hpp"
#include "core/data/vocabulary.hpp"
#include "core/train/mapped_matrix.hpp"
#include "core/util/error.hpp"

namespace scpt::train {

PretrainedModel pretrain_model(std::vector<CorpusDataset>& datasets, const CorpusOptions& o, const RunControl& rc) {
    if (datasets.empty()) throw InputError("pre-training needs at least one dataset");
    PretrainedModel out;
    for (auto& d : datasets) {
        rc.check_cancel();
        const ValueSummary values = detect_value_kind(d.matrix);
        TransformOptions to;
        to.what = d.name;
        std::vector<std::string> warnings;
        CellTransform t = plan_transform(values, o.transform, to, &warnings);
        apply_transform(d.matrix, t, &rc);
        out.notes.push_back(d.name + ": " + std::to_string(d.matrix.n_cells) + " cells, " +
                            std::to_string(d.matrix.n_genes) + " genes, " + value_kind_name(values.kind) + " (" +
                            values.explanation + "): " + t.description());
        for (auto& w : warnings) out.notes.push_back(d.name + ": " + w);
    }
    std::vector<VocabularySource> sources;
    for (auto& d : datasets) sources.push_back({d.name, &d.matrix, d.species});
    VocabularyOptions vo;
    vo.min_datasets = o.min_datasets;
    Vocabulary vocab = build_vocabulary(sources, o.orthologs, o.ensembl_ids, vo);
    for (auto& n : vocab.notes) out.notes.push_back(n);
    const int64_t V = int64_t(vocab.genes.size());

    std::vector<MappedMatrix> mapped;
    for (size_t i = 0; i < datasets.size(); ++i) {
        mapped.push_back(map_columns(datasets[i].matrix, vocab.matches[i].column_to_vocab, V));
        datasets[i].matrix = CellMatrix();  // the mapped copy is all pre-training needs
    }
    std::vector<PretrainDataset> sets;
    for (size_t i = 0; i < datasets.size(); ++i) sets.push_back({datasets[i].name, mapped[i].csr()});
    out.training = pretrain(sets, o.pretrain, rc);

    Model& m = out.model;
    m.info.transform = o.transform;
    m.info.genes = std::move(vocab.genes);
    for (auto& d : datasets) m.info.datasets.push_back(d.name);
    m.info.seed = o.pretrain.seed;
    m.info.tool_version = SCPT_VERSION;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "scPretrain pre-training: %zu datasets, %lld genes, %s, hidden %d, %d phase(s), up to %d epochs "
                  "per phase, lr %g, %d batches per epoch, patience %d; ",
                  datasets.size(), (long long)V, transform_name(o.transform), o.pretrain.hidden, o.pretrain.phases,
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
