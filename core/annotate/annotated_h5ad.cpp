#include "core/annotate/annotated_h5ad.hpp"

#include <stdexcept>

namespace scpt::annotate {

namespace {

// A type index per cell (-1 = Unassigned) as a categorical over the classes, "Unassigned" last when used.
io::H5adColumn labels_column(const std::string& name, const std::vector<int32_t>& label,
                             const std::vector<std::string>& classes) {
    std::vector<std::string> cats = classes;
    std::vector<int32_t> codes(label.size());
    bool unassigned = false;
    for (size_t i = 0; i < label.size(); ++i) {
        if (label[i] >= int32_t(classes.size())) throw std::invalid_argument("annotated_h5ad: a label outside the classes");
        unassigned |= label[i] < 0;
        codes[i] = label[i] < 0 ? int32_t(classes.size()) : label[i];
    }
    if (unassigned) cats.push_back("Unassigned");
    return io::H5adColumn::categorical(name, std::move(cats), std::move(codes));
}

}  // namespace

io::H5adContent annotated_h5ad(const CellMatrix& m, const Predictions& p, const std::vector<std::string>& classes,
                               const std::vector<float>& xy) {
    const size_t n = p.cells.size();
    io::H5adContent c;
    c.matrix = &m;
    c.rows = p.cells;
    c.obs.push_back(labels_column("scpretrain_label", p.label, classes));
    c.obs.push_back(io::H5adColumn::float32("scpretrain_confidence", p.confidence));
    std::vector<uint8_t> unassigned(n);
    for (size_t i = 0; i < n; ++i) unassigned[i] = p.label[i] < 0;
    c.obs.push_back(io::H5adColumn::boolean("scpretrain_unassigned", std::move(unassigned)));
    c.obs.push_back(labels_column("scpretrain_closest", p.best, classes));
    c.obs.push_back(io::H5adColumn::float32("scpretrain_typicality", p.typicality));
    if (!p.cell_label.empty()) {
        c.obs.push_back(labels_column("scpretrain_cell_label", p.cell_label, classes));
        c.obs.push_back(io::H5adColumn::int32("scpretrain_over_cluster", p.over_cluster));
    }
    for (const ObsColumn& o : m.obs) {
        bool clash = o.name == "_index" || o.name.empty() || o.name.find('/') != std::string::npos;
        for (const auto& have : c.obs) clash |= have.name == o.name;
        if (clash) continue;
        if (o.is_numeric() && o.numbers.size() == size_t(m.n_cells)) {
            std::vector<double> v(n);
            for (size_t i = 0; i < n; ++i) v[i] = o.numbers[size_t(p.cells[i])];
            c.obs.push_back(io::H5adColumn::float64(o.name, std::move(v)));
        } else if (o.codes.size() == size_t(m.n_cells)) {
            std::vector<int32_t> codes(n);
            for (size_t i = 0; i < n; ++i) codes[i] = o.codes[size_t(p.cells[i])];
            c.obs.push_back(io::H5adColumn::categorical(o.name, o.levels, std::move(codes)));
        }
    }
    if (p.embedding.rows() == int64_t(n) && p.embedding.cols() > 0) {
        io::H5adMatrix e{"X_scpretrain", int64_t(p.embedding.cols()), {}};
        e.values.resize(n * size_t(e.cols));
        for (size_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < e.cols; ++j) e.values[i * size_t(e.cols) + size_t(j)] = p.embedding(int64_t(i), j);
        c.obsm.push_back(std::move(e));
    }
    if (!xy.empty()) {
        if (xy.size() != 2 * n)
            throw std::invalid_argument("annotated_h5ad: the map has " + std::to_string(xy.size()) + " values for " +
                                        std::to_string(n) + " cells");
        c.obsm.push_back({"X_umap", 2, xy});
    }
    return c;
}

}  // namespace scpt::annotate
