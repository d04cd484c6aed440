#include "core/app/group_cells.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/app/embed.hpp"
#include "core/cluster/kmeans.hpp"
#include "core/util/error.hpp"

namespace scpt::app {

namespace {

int cluster_count(int asked, int64_t n) {
    int k = asked > 0 ? asked : int(std::lround(std::sqrt(double(n) / 20.0)));
    return int(std::clamp<int64_t>(k, 2, std::min<int64_t>(20, n)));
}

}  // namespace

Groups group_cells(const CellMatrix& m, const Model* model, const GroupOptions& o, const RunControl& rc) {
    Groups g;
    const int64_t n = m.n_cells;
    if (n < 3 || m.n_genes < 3) {
        // Nothing to group or to project: one group, every cell at the origin of the map.
        g.codes.assign(size_t(n), 0);
        g.sizes = {n};
        g.names = {"Cluster 1"};
        g.embedding = "none";
        g.points = nn::Matrix::Zero(n, 2);
        g.notes.push_back(o.data_name + ": " + std::to_string(n) + " cells and " + std::to_string(m.n_genes) +
                          " genes, too few to group");
        return g;
    }
    bool use_model = model != nullptr;
    if (use_model) {
        // Genes that do not meet the model: a model the user chose is an error; the shipped one
        // steps aside (as annotation does). Other errors (refused values) are errors either way.
        GeneMatchOptions go;
        go.data_name = o.data_name;
        go.vocab_name = o.model_name;
        try {
            match_genes(m, model->info.genes, go);
        } catch (const InputError& e) {
            if (!o.fall_back_without_model) throw;
            g.notes.push_back(std::string(e.what()) + ". Grouped on the expression's principal components instead");
            use_model = false;
        }
    }
    if (use_model) {
        EmbedOptions eo;
        eo.data_name = o.data_name;
        eo.model_name = o.model_name;
        eo.allow_scaled = o.allow_scaled;
        Embedded e = embed_cells(m, *model, eo, rc);
        g.genes_summary = e.genes.summary();
        g.notes.push_back(g.genes_summary);
        g.notes.insert(g.notes.end(), e.notes.begin(), e.notes.end());
        g.notes.insert(g.notes.end(), e.warnings.begin(), e.warnings.end());
        g.points = e.h;
    }
    if (!use_model) {
        ExpressionPcsOptions po;
        po.components = o.pca_components;
        po.seed = o.seed;
        po.data_name = o.data_name;
        g.points = expression_pcs(m, po, rc);
        g.embedding = "pca";
    }
    g.k = cluster_count(o.clusters, n);
    cluster::KmeansOptions ko;
    ko.k = g.k;
    ko.seed = o.seed;
    ko.n_init = o.n_init;
    rc.report({"kmeans", 0, "grouping " + std::to_string(n) + " cells into " + std::to_string(g.k) + " clusters", 0});
    cluster::KmeansResult km = cluster::kmeans(g.points, ko, rc);
    // Group 0 is the largest.
    std::vector<int32_t> order(size_t(g.k));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int32_t a, int32_t b) { return km.sizes[size_t(a)] > km.sizes[size_t(b)]; });
    std::vector<int32_t> rank(size_t(g.k));
    for (int i = 0; i < g.k; ++i) {
        rank[size_t(order[size_t(i)])] = i;
        g.sizes.push_back(km.sizes[size_t(order[size_t(i)])]);
        g.names.push_back("Cluster " + std::to_string(i + 1));
    }
    g.codes.resize(km.labels.size());
    for (size_t i = 0; i < km.labels.size(); ++i) g.codes[i] = rank[size_t(km.labels[i])];
    return g;
}

}  // namespace scpt::app
