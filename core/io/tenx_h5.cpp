#include "core/io/tenx_h5.hpp"

#include <algorithm>
#include <set>

#include "core/io/h5_matrix.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {
std::string join_names(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

void read_shape(const H5Source& f, const std::string& path, int64_t& genes, int64_t& cells) {
    h5_require_dataset(f, path, "the matrix dimensions");
    std::vector<int64_t> s = h5_read_int64(f, path, 16);
    if (s.size() != 2) throw input_error(f.name(), path + " should hold 2 numbers (genes, cells)");
    genes = s[0];
    cells = s[1];
}

void check_len(const H5Source& f, const std::string& path, size_t got, int64_t want, const char* what) {
    if (int64_t(got) != want)
        throw input_error(f.name(), path + " lists " + std::to_string(got) + " " + what + " but the matrix has " +
                                        std::to_string(want));
}
}  // namespace

std::vector<std::string> tenx_h5_v2_genomes(const H5Source& f) {
    std::vector<std::string> out;
    for (const auto& c : f.children("/")) {
        std::string g = "/" + c;
        if (f.is_group(g) && h5_is_dataset(f, g + "/indptr") && h5_is_dataset(f, g + "/data") &&
            (h5_is_dataset(f, g + "/genes") || h5_is_dataset(f, g + "/gene_names")))
            out.push_back(c);
    }
    return out;
}

CellMatrix read_tenx_h5(const H5Source& f, const ReadOptions& o) {
    const std::string& name = f.name();
    CellMatrix m;
    const Limits& lim = o.limits;
    if (f.is_group("/matrix")) {  // v3
        const std::string g = "/matrix";
        int64_t genes, cells;
        read_shape(f, g + "/shape", genes, cells);
        Limits::check(name, "genes", genes, lim.max_genes);
        Limits::check(name, "cells", cells, lim.max_cells);
        h5_require_dataset(f, g + "/features/id", "feature ids");
        std::vector<std::string> ids = h5_read_strings(f, g + "/features/id", lim.max_genes);
        std::vector<std::string> names = h5_is_dataset(f, g + "/features/name")
                                             ? h5_read_strings(f, g + "/features/name", lim.max_genes) : ids;
        std::vector<std::string> types, genomes;
        if (h5_is_dataset(f, g + "/features/feature_type")) types = h5_read_strings(f, g + "/features/feature_type", lim.max_genes);
        if (h5_is_dataset(f, g + "/features/genome")) genomes = h5_read_strings(f, g + "/features/genome", lim.max_genes);
        check_len(f, g + "/features/id", ids.size(), genes, "features");
        check_len(f, g + "/features/name", names.size(), genes, "features");
        if (!types.empty()) check_len(f, g + "/features/feature_type", types.size(), genes, "features");
        if (!genomes.empty()) check_len(f, g + "/features/genome", genomes.size(), genes, "features");
        std::set<std::string> distinct(genomes.begin(), genomes.end());
        if (!o.genome.empty()) {
            if (genomes.empty() || !distinct.count(o.genome))
                throw input_error(name, "has no genome '" + o.genome + "' (genomes: " +
                                            (distinct.empty() ? "not recorded" : join_names({distinct.begin(), distinct.end()})) + ")");
        } else if (distinct.size() > 1) {
            m.notes.push_back(name + ": features of " + std::to_string(distinct.size()) + " genomes (" +
                              join_names({distinct.begin(), distinct.end()}) + ") were all read; choose one with the genome option");
        }
        std::vector<int32_t> map;
        int64_t kept = tenx_feature_map(types, genomes, names, o.genome, o.keep_all_features, name, map, m.notes);
        H5SparseLayout l{g + "/data", g + "/indices", g + "/indptr", cells, genes, true, map.empty() ? nullptr : &map, kept};
        h5_read_sparse(f, l, o, m);
        for (size_t i = 0; i < ids.size(); ++i) {
            if (!map.empty() && map[i] < 0) continue;
            m.gene_ids.push_back(std::move(ids[i]));
            m.gene_symbols.push_back(std::move(names[i]));
        }
        m.barcodes = h5_read_strings(f, g + "/barcodes", lim.max_cells);
        check_len(f, g + "/barcodes", m.barcodes.size(), cells, "barcodes");
        return m;
    }
    std::vector<std::string> genomes = tenx_h5_v2_genomes(f);
    if (genomes.empty()) throw input_error(name, "is not a 10x matrix file (no /matrix group and no genome group)");
    std::string genome = o.genome.empty() ? genomes[0] : o.genome;
    if (std::find(genomes.begin(), genomes.end(), genome) == genomes.end())
        throw input_error(name, "has no genome '" + genome + "' (genomes: " + join_names(genomes) + ")");
    if (genomes.size() > 1 && o.genome.empty())
        m.notes.push_back(name + ": has " + std::to_string(genomes.size()) + " genomes (" + join_names(genomes) + "); read " +
                          genome + " (choose another with the genome option)");
    const std::string g = "/" + genome;
    int64_t genes, cells;
    read_shape(f, g + "/shape", genes, cells);
    Limits::check(name, "genes", genes, lim.max_genes);
    Limits::check(name, "cells", cells, lim.max_cells);
    H5SparseLayout l{g + "/data", g + "/indices", g + "/indptr", cells, genes, true, nullptr, -1};
    h5_read_sparse(f, l, o, m);
    std::vector<std::string> ids = h5_is_dataset(f, g + "/genes") ? h5_read_strings(f, g + "/genes", lim.max_genes) : std::vector<std::string>();
    std::vector<std::string> names = h5_is_dataset(f, g + "/gene_names") ? h5_read_strings(f, g + "/gene_names", lim.max_genes) : ids;
    if (ids.empty()) ids = names;
    check_len(f, g + "/genes", ids.size(), genes, "genes");
    check_len(f, g + "/gene_names", names.size(), genes, "genes");
    m.gene_ids = std::move(ids);
    m.gene_symbols = std::move(names);
    h5_require_dataset(f, g + "/barcodes", "cell barcodes");
    m.barcodes = h5_read_strings(f, g + "/barcodes", lim.max_cells);
    check_len(f, g + "/barcodes", m.barcodes.size(), cells, "barcodes");
    return m;
}

}  // namespace scpt::io
