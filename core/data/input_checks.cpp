#include "core/data/input_checks.hpp"

#include <unordered_set>

#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt {

namespace {
// How many entries of v repeat an earlier one, and the first such name.
int64_t repeats(const std::vector<std::string>& v, std::string& example) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(v.size());
    int64_t n = 0;
    for (const auto& s : v)
        if (!seen.insert(s).second && n++ == 0) example = s;
    return n;
}

std::string shown(const std::string& s) { return quote(s); }  // escaped and short: barcodes may be any bytes
}  // namespace

void check_input_matrix(CellMatrix& m, const std::string& what) {
    m.validate(what);
    if (m.n_cells == 0) throw input_error(what, "has no cells");
    if (m.n_genes == 0) throw input_error(what, "has no genes");
    if (m.nnz() == 0)
        throw input_error(what, "holds no expression values: every value of its " + std::to_string(m.n_cells) +
                                    " cells is zero");
    int64_t empty = 0;
    for (int64_t c = 0; c < m.n_cells; ++c) empty += m.indptr[size_t(c) + 1] == m.indptr[size_t(c)];
    if (empty > 0)
        m.notes.push_back(what + ": " + std::to_string(empty) + " of " + std::to_string(m.n_cells) +
                          " cells have no expression values (all zero): they are kept but cannot be annotated");
    std::string example;
    if (int64_t n = repeats(m.barcodes, example))
        m.notes.push_back(what + ": " + std::to_string(n) + " cells share a barcode with an earlier cell (e.g. " +
                          shown(example) + "): they are kept apart by position, but labels given by barcode "
                          "cannot tell them apart");
    if (int64_t n = repeats(m.gene_symbols, example))
        m.notes.push_back(what + ": " + std::to_string(n) + " gene names appear more than once (e.g. " + shown(example) +
                          "): matching genes to a model keeps the first of each");
}

}  // namespace scpt
