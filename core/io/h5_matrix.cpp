#include "core/io/h5_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/data/cell_collector.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {
constexpr int64_t kBlock = int64_t(1) << 22;  // elements per read

void progress(const ReadOptions& o, double fraction, const std::string& what) {
    if (!o.control) return;
    o.control->check_cancel();
    o.control->report({"read", fraction, what, 0});
}
}  // namespace

void h5_read_sparse(const H5Source& f, const H5SparseLayout& l, const ReadOptions& o, CellMatrix& m) {
    const std::string& name = f.name();
    for (const auto* p : {&l.data, &l.indices, &l.indptr}) h5_require_dataset(f, *p, "part of the sparse matrix");
    Limits::check(name, "cells", l.n_cells, o.limits.max_cells);
    Limits::check(name, "genes", l.n_genes, o.limits.max_genes);
    const int64_t n_major = l.by_cell ? l.n_cells : l.n_genes;
    const int64_t n_minor = l.by_cell ? l.n_genes : l.n_cells;
    H5DatasetInfo pi = f.dataset_info(l.indptr), di = f.dataset_info(l.data), ii = f.dataset_info(l.indices);
    if (pi.shape.size() != 1 || pi.rows() != n_major + 1)
        throw input_error(name, l.indptr + " has " + std::to_string(pi.rows()) + " entries, expected " +
                                    std::to_string(n_major + 1) + " (one per " + (l.by_cell ? "cell" : "gene") + " + 1)");
    if (di.rows() != ii.rows())
        throw input_error(name, l.data + " and " + l.indices + " have different lengths (" + std::to_string(di.rows()) +
                                    " and " + std::to_string(ii.rows()) + ")");
    const int64_t nnz = di.rows();
    Limits::check(name, "stored values", nnz, o.limits.max_nonzeros);
    h5_require_stored(f, l.data, di);
    h5_require_stored(f, l.indices, ii);
    h5_require_stored(f, l.indptr, pi);
    std::vector<int64_t> ptr(size_t(n_major) + 1);
    f.read_int64(l.indptr, 0, n_major + 1, ptr.data());
    if (ptr[0] != 0 || ptr.back() != nnz)
        throw input_error(name, l.indptr + " does not span " + l.data + " (starts at " + std::to_string(ptr[0]) +
                                    ", ends at " + std::to_string(ptr.back()) + ", " + std::to_string(nnz) + " values)");
    for (int64_t i = 0; i < n_major; ++i)
        if (ptr[size_t(i) + 1] < ptr[size_t(i)]) throw input_error(name, l.indptr + " decreases at entry " + std::to_string(i + 1));
    std::vector<int32_t> idx(static_cast<size_t>(nnz));
    std::vector<float> val(static_cast<size_t>(nnz));
    for (int64_t b = 0; b < nnz; b += kBlock) {
        int64_t n = std::min(kBlock, nnz - b);
        f.read_int32(l.indices, b, n, idx.data() + b);
        f.read_float(l.data, b, n, val.data() + b);
        progress(o, double(b + n) / double(std::max<int64_t>(1, nnz)), name);
    }
    for (int64_t k = 0; k < nnz; ++k)
        if (idx[size_t(k)] < 0 || idx[size_t(k)] >= n_minor)
            throw input_error(name, l.indices + " holds " + std::to_string(idx[size_t(k)]) + " at position " +
                                        std::to_string(k) + ", outside 0.." + std::to_string(n_minor - 1));
    for (int64_t k = 0; k < nnz; ++k)
        if (!std::isfinite(val[size_t(k)])) throw input_error(name, l.data + " holds a value that is not a finite number");
    int64_t duplicates = 0;
    if (l.by_cell) {
        // In place: map genes, sort each cell, compact.
        const int32_t* map = l.gene_map ? l.gene_map->data() : nullptr;
        int64_t out = 0;
        for (int64_t c = 0; c < n_major; ++c) {
            int64_t b = ptr[size_t(c)], e = ptr[size_t(c) + 1], start = out;
            for (int64_t k = b; k < e; ++k) {
                int32_t g = map ? map[idx[size_t(k)]] : idx[size_t(k)];
                if (g < 0) continue;
                idx[size_t(out)] = g;
                val[size_t(out)] = val[size_t(k)];
                ++out;
            }
            size_t kept = sort_and_sum_genes(idx.data() + start, val.data() + start, size_t(out - start), &duplicates);
            out = start + int64_t(kept);
            ptr[size_t(c)] = start;  // safe: entry c is not read again
        }
        ptr[size_t(n_major)] = out;
        idx.resize(size_t(out));
        val.resize(size_t(out));
        m.indptr = std::move(ptr);
        m.indices = std::move(idx);
        m.values = std::move(val);
        m.n_cells = l.n_cells;
        m.n_genes = map ? l.kept_genes : l.n_genes;
    } else {
        // Compressed by gene: collect per cell via CsrBuilder-like counting (cells ascend per gene).
        CsrBuilder builder(l.n_cells, l.gene_map ? l.kept_genes : l.n_genes);
        builder.reserve(nnz);
        for (int64_t g = 0; g < n_major; ++g) {
            int32_t kg = l.gene_map ? (*l.gene_map)[size_t(g)] : int32_t(g);
            if (kg < 0) continue;
            for (int64_t k = ptr[size_t(g)]; k < ptr[size_t(g) + 1]; ++k) builder.add(idx[size_t(k)], kg, val[size_t(k)]);
        }
        std::vector<int32_t>().swap(idx);
        std::vector<float>().swap(val);
        duplicates = builder.finish(m);
    }
    if (duplicates > 0)
        m.notes.push_back(name + ": " + std::to_string(duplicates) + " repeated (cell, gene) entries were summed");
}

void h5_read_dense(const H5Source& f, const std::string& path, bool cells_are_rows, const ReadOptions& o, CellMatrix& m) {
    const std::string& name = f.name();
    h5_require_dataset(f, path, "the expression matrix");
    H5DatasetInfo info = f.dataset_info(path);
    if (info.shape.size() != 2)
        throw input_error(name, path + " has " + std::to_string(info.shape.size()) + " dimensions, expected 2");
    if (info.type == H5Type::String || info.type == H5Type::Other)
        throw input_error(name, path + " holds " + std::string(h5_type_name(info.type)) + " values, expected numbers");
    const int64_t rows = info.shape[0], cols = info.shape[1];
    const int64_t n_cells = cells_are_rows ? rows : cols, n_genes = cells_are_rows ? cols : rows;
    Limits::check(name, "cells", n_cells, o.limits.max_cells);
    Limits::check(name, "genes", n_genes, o.limits.max_genes);
    // Each axis may be within its limit while the product is not: reading is streamed in blocks,
    // so this bounds the time a file can make us spend, not memory.
    const int64_t values = Limits::product(rows, cols);
    if (values > o.limits.max_dense_values)
        throw input_error(name, path + " declares a dense matrix of " + std::to_string(values) + " values (" +
                                    std::to_string(rows) + " x " + std::to_string(cols) + "), above the limit of " +
                                    std::to_string(o.limits.max_dense_values) + " (see docs/LIMITS.md)");
    h5_require_stored(f, path, info);
    const int64_t block_rows = std::max<int64_t>(1, kBlock / std::max<int64_t>(1, cols));
    std::vector<float> buf;
    CellCollector collector(n_cells, n_genes);
    std::vector<int64_t> row_ptr;  // genes-as-rows: per-gene sparse rows, transposed at the end
    std::vector<int32_t> row_col;
    std::vector<float> row_val;
    if (!cells_are_rows) row_ptr.push_back(0);
    int64_t nnz = 0;
    for (int64_t r0 = 0; r0 < rows; r0 += block_rows) {
        int64_t nr = std::min(block_rows, rows - r0);
        buf.resize(size_t(nr * cols));
        f.read_float(path, r0, nr, buf.data());
        for (int64_t r = 0; r < nr; ++r) {
            const float* row = buf.data() + r * cols;
            for (int64_t c = 0; c < cols; ++c) {
                float v = row[c];
                if (v == 0) continue;
                if (!std::isfinite(v))
                    throw input_error(name, path + " row " + std::to_string(r0 + r + 1) + " holds a value that is not a finite number");
                if (++nnz > o.limits.max_nonzeros) Limits::check_count(name, "non-zero values", nnz, o.limits.max_nonzeros);
                if (cells_are_rows) {
                    collector.add(int32_t(r0 + r), int32_t(c), v);
                } else {
                    row_col.push_back(int32_t(c));
                    row_val.push_back(v);
                }
            }
            if (!cells_are_rows) row_ptr.push_back(int64_t(row_col.size()));
        }
        progress(o, double(r0 + nr) / double(std::max<int64_t>(1, rows)), name);
    }
    if (cells_are_rows) {
        collector.finish(m);
        return;
    }
    // Transpose genes x cells into cells x genes (counting sort keeps genes ascending per cell).
    m.n_cells = n_cells;
    m.n_genes = n_genes;
    m.indptr.assign(size_t(n_cells) + 1, 0);
    for (int32_t c : row_col) ++m.indptr[size_t(c) + 1];
    for (int64_t c = 0; c < n_cells; ++c) m.indptr[size_t(c) + 1] += m.indptr[size_t(c)];
    m.indices.resize(row_col.size());
    m.values.resize(row_col.size());
    std::vector<int64_t> next(m.indptr.begin(), m.indptr.end() - 1);
    for (int64_t g = 0; g < n_genes; ++g)
        for (int64_t k = row_ptr[size_t(g)]; k < row_ptr[size_t(g) + 1]; ++k) {
            int64_t at = next[size_t(row_col[size_t(k)])]++;
            m.indices[size_t(at)] = int32_t(g);
            m.values[size_t(at)] = row_val[size_t(k)];
        }
}

int64_t tenx_feature_map(const std::vector<std::string>& types, const std::vector<std::string>& genomes,
                         const std::vector<std::string>& names, const std::string& genome, bool keep_all,
                         const std::string& what, std::vector<int32_t>& map, std::vector<std::string>& notes) {
    const size_t n = names.size();
    map.clear();
    int64_t gex = 0;
    for (size_t i = 0; i < types.size(); ++i) gex += types[i] == "Gene Expression";
    bool drop_types = !keep_all && !types.empty() && gex > 0 && gex < int64_t(types.size());
    bool by_genome = !genome.empty() && !genomes.empty();
    if (!drop_types && !by_genome) return int64_t(n);
    map.assign(n, -1);
    int64_t kept = 0;
    std::map<std::string, int64_t> aside;
    std::string examples;
    int64_t other_genome = 0;
    for (size_t i = 0; i < n; ++i) {
        if (by_genome && genomes[i] != genome) { ++other_genome; continue; }
        if (drop_types && types[i] != "Gene Expression") {
            if (aside[types[i]]++ == 0 || examples.size() < 40) examples += (examples.empty() ? "" : ", ") + names[i];
            continue;
        }
        map[i] = int32_t(kept++);
    }
    if (!aside.empty()) {
        std::string list;
        int64_t total = 0;
        for (auto& [t, c] : aside) list += (list.empty() ? "" : ", ") + std::to_string(c) + " " + t, total += c;
        notes.push_back(what + ": set aside " + std::to_string(total) + " features that are not gene expression (" + list +
                        "; e.g. " + examples + ")");
    }
    if (other_genome > 0)
        notes.push_back(what + ": kept the " + std::to_string(kept) + " features of genome " + genome + ", left out " +
                        std::to_string(other_genome) + " of other genomes");
    return kept;
}

}  // namespace scpt::io
