#include "core/annotate/gene_space.hpp"

namespace scpt::annotate {
namespace {

bool same_genes(const CellMatrix& a, const CellMatrix& b) {
    return &a == &b || (a.n_genes == b.n_genes && a.gene_symbols == b.gene_symbols && a.gene_ids == b.gene_ids);
}

GeneMatch match_to_reference(const CellMatrix& reference, const CellMatrix& m, const GeneSpaceOptions& o,
                             const std::string& name) {
    GeneMatchOptions go;
    go.orthologs = o.orthologs;
    go.data_name = name;
    go.vocab_name = o.reference_name;
    return match_genes(m, genes_as_vocabulary(reference, o.orthologs), go);
}

}  // namespace

GeneSpace build_gene_space(const CellMatrix& reference, const CellMatrix* query, const Model* model,
                           const GeneSpaceOptions& o) {
    GeneSpace s;
    std::vector<char> keep(size_t(reference.n_genes), 1);
    if (query && o.shared_only && !same_genes(reference, *query)) {
        const GeneMatch qm = match_to_reference(reference, *query, o, o.query_name);
        keep.assign(keep.size(), 0);
        for (int32_t v : qm.column_to_vocab)
            if (v >= 0) keep[size_t(v)] = 1;
    }
    if (model) {
        GeneMatchOptions go;
        go.orthologs = o.orthologs;
        go.data_name = o.reference_name;
        go.vocab_name = o.model_name;
        s.reference_to_model = match_genes(reference, model->info.genes, go);
        s.has_model = true;
    }
    s.reference_column.assign(size_t(reference.n_genes), -1);
    for (int64_t g = 0; g < reference.n_genes; ++g) {
        if (!keep[size_t(g)]) continue;
        s.reference_column[size_t(g)] = int32_t(s.size++);
        s.symbols.push_back(reference.gene_symbols[size_t(g)]);
        if (model) {
            const int32_t row = s.reference_to_model.column_to_vocab[size_t(g)];
            s.model_row.push_back(row);
            s.model_matched += row >= 0;
        }
    }
    return s;
}

SpaceColumns align_to_space(const GeneSpace& space, const CellMatrix& reference, const CellMatrix& m,
                            const GeneSpaceOptions& o, const std::string& name) {
    SpaceColumns c;
    if (same_genes(reference, m)) {
        c.same_genes = true;
        c.column = space.reference_column;
    } else {
        c.match = match_to_reference(reference, m, o, name);
        c.column.assign(size_t(m.n_genes), -1);
        for (size_t g = 0; g < c.column.size(); ++g) {
            const int32_t r = c.match.column_to_vocab[g];
            if (r >= 0) c.column[g] = space.reference_column[size_t(r)];
        }
    }
    for (int32_t v : c.column) c.matched += v >= 0;
    c.summary = name + ": " + std::to_string(c.matched) + " of its " + std::to_string(m.n_genes) +
                " genes are among the " + std::to_string(space.size) + " genes the classifier uses";
    if (!c.same_genes && c.match.by_ortholog > 0)
        c.summary += " (" + std::to_string(c.match.by_ortholog) + " through orthologs)";
    return c;
}

}  // namespace scpt::annotate
