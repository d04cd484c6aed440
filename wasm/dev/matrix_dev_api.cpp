#include "wasm/dev/matrix_dev_api.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/data/input_checks.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_object.hpp"
#include "wasm/matrix_api.hpp"

namespace scpt::wasm {

using emscripten::val;

namespace {

int64_t int_field(const val& spec, const char* key, const std::string& what) {
    if (!has(spec, key)) throw input_error(what, std::string("missing ") + key);
    double d = spec[key].as<double>();
    if (!(d >= 0) || d != std::floor(d) || d > 9.0e15) throw input_error(what, std::string("bad ") + key);
    return int64_t(d);
}

std::string text_field(const val& spec, const char* key) { return has(spec, key) ? spec[key].as<std::string>() : std::string(); }

// Names from the spec, the structural checks, then the session takes the matrix (only now: a bad
// input leaves what was loaded before untouched).
val finish_matrix(Session& s, const std::string& name, const std::string& what, const val& spec, CellMatrix m) {
    m.barcodes = split_lines(text_field(spec, "barcodes"), size_t(m.n_cells));
    m.gene_ids = split_lines(text_field(spec, "geneIds"), size_t(m.n_genes));
    std::string symbols = text_field(spec, "geneSymbols");
    m.gene_symbols = symbols.empty() ? m.gene_ids : split_lines(symbols, size_t(m.n_genes));
    check_input_matrix(m, what);
    s.put_matrix(name, std::move(m));
    return matrix_info(s, name);
}

}  // namespace

val matrix_from_csr(Session& s, const std::string& name, val spec) {
    std::string what = text_field(spec, "source");
    if (what.empty()) what = name;
    const Limits limits;
    const int64_t n_cells = int_field(spec, "nCells", what), n_genes = int_field(spec, "nGenes", what);
    Limits::check(what, "cells", n_cells, limits.max_cells);
    Limits::check(what, "genes", n_genes, limits.max_genes);
    const std::string layout = text_field(spec, "layout");
    const bool csc = layout == "csc";
    const size_t nnz = js_length(spec["values"]);
    Limits::check(what, "stored values", int64_t(nnz), limits.max_nonzeros);
    if (js_length(spec["indices"]) != nnz) throw input_error(what, "indices and values differ in length");
    CellMatrix m;
    if (layout == "coo") {  // (cell, gene, value) triplets in any order; repeats are summed
        if (js_length(spec["rows"]) != nnz) throw input_error(what, "rows and values differ in length");
        std::vector<int32_t> cells = from_js<int32_t>(spec["rows"]), genes = from_js<int32_t>(spec["indices"]);
        std::vector<float> vals = from_js<float>(spec["values"]);
        CsrBuilder b(n_cells, n_genes);
        b.reserve(int64_t(nnz));
        for (size_t k = 0; k < nnz; ++k) {
            if (cells[k] < 0 || cells[k] >= n_cells || genes[k] < 0 || genes[k] >= n_genes)
                throw input_error(what, "entry " + std::to_string(k + 1) + " is outside the matrix");
            b.add(cells[k], genes[k], vals[k]);
        }
        std::vector<int32_t>().swap(cells);
        std::vector<int32_t>().swap(genes);
        std::vector<float>().swap(vals);
        int64_t dup = b.finish(m);
        if (dup) m.notes.push_back(std::to_string(dup) + " repeated entries were summed");
        return finish_matrix(s, name, what, spec, std::move(m));
    }
    const int64_t n_major = csc ? n_genes : n_cells, n_minor = csc ? n_cells : n_genes;
    if (int64_t(js_length(spec["indptr"])) != n_major + 1)
        throw input_error(what, "indptr has " + std::to_string(js_length(spec["indptr"])) + " entries, expected " +
                                    std::to_string(n_major + 1));

    std::vector<double> ptr = from_js<double>(spec["indptr"]);
    std::vector<int32_t> idx = from_js<int32_t>(spec["indices"]);
    std::vector<float> vals = from_js<float>(spec["values"]);
    if (ptr.front() != 0 || ptr.back() != double(nnz)) throw input_error(what, "indptr does not span the stored values");
    for (size_t i = 1; i < ptr.size(); ++i)
        if (ptr[i] < ptr[i - 1]) throw input_error(what, "indptr decreases at entry " + std::to_string(i));
    for (int32_t g : idx)
        if (g < 0 || g >= n_minor) throw input_error(what, "an index is out of range (" + std::to_string(g) + ")");

    // Sort (and sum duplicates) through the core's builder unless the input is already canonical CSR.
    bool canonical = !csc;
    for (int64_t r = 0; canonical && r < n_major; ++r)
        for (auto k = int64_t(ptr[size_t(r)]) + 1; k < int64_t(ptr[size_t(r) + 1]); ++k)
            if (idx[size_t(k)] <= idx[size_t(k) - 1]) { canonical = false; break; }
    if (canonical) {
        m.n_cells = n_cells;
        m.n_genes = n_genes;
        m.indptr.assign(ptr.begin(), ptr.end());
        m.indices = std::move(idx);
        m.values = std::move(vals);
    } else {
        CsrBuilder b(n_cells, n_genes);
        b.reserve(int64_t(nnz));
        for (int64_t r = 0; r < n_major; ++r)
            for (auto k = int64_t(ptr[size_t(r)]); k < int64_t(ptr[size_t(r) + 1]); ++k)
                csc ? b.add(idx[size_t(k)], r, vals[size_t(k)]) : b.add(r, idx[size_t(k)], vals[size_t(k)]);
        std::vector<int32_t>().swap(idx);
        std::vector<float>().swap(vals);
        int64_t dup = b.finish(m);
        if (dup) m.notes.push_back(std::to_string(dup) + " repeated entries were summed");
    }
    return finish_matrix(s, name, what, spec, std::move(m));
}

std::string matrix_barcodes(const Session& s, const std::string& name) { return join_lines(s.matrix(name).barcodes); }
std::string matrix_gene_symbols(const Session& s, const std::string& name) { return join_lines(s.matrix(name).gene_symbols); }
std::string matrix_gene_ids(const Session& s, const std::string& name) { return join_lines(s.matrix(name).gene_ids); }

void matrix_set_obs(Session& s, const std::string& name, const std::string& column, val levels, val values) {
    CellMatrix& m = s.matrix(name);
    ObsColumn c;
    c.name = column;
    const std::string what = name + " metadata '" + column + "'";
    if (js_length(values) != size_t(m.n_cells))
        throw input_error(what, std::to_string(js_length(values)) + " values for " + std::to_string(m.n_cells) + " cells");
    if (absent(levels)) {
        c.numbers = from_js<double>(values);
    } else {
        c.codes = from_js<int32_t>(values);
        std::string joined = levels.as<std::string>();
        if (!joined.empty()) c.levels = split_lines(joined, 0);
        for (int32_t code : c.codes)
            if (code < -1 || code >= int32_t(c.levels.size())) throw input_error(what, "a category code is out of range");
    }
    for (auto& existing : m.obs)
        if (existing.name == column) {
            existing = std::move(c);
            return;
        }
    m.obs.push_back(std::move(c));
}

}  // namespace scpt::wasm
