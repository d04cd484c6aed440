#include "tools/scpt/annotate_inputs.hpp"

#include "core/app/predictions_table.hpp"

#include <cstdio>

#include "core/io/gene_tables.hpp"
#include "core/io/labels.hpp"
#include "tools/native/default_model.hpp"
#include "tools/native/files.hpp"
#include "tools/native/input.hpp"
#include "tools/native/model_files.hpp"

namespace scpt::cli {

void add_matrix_options(CLI::App* sub, MatrixArgs& a) {
    sub->add_flag("--raw", a.raw, ".h5ad: read raw/X instead of X");
    sub->add_option("--layer", a.layer, ".h5ad: read layers/<name> instead of X");
    sub->add_option("--gene-column", a.gene_column, ".h5ad/.loom: the gene column holding symbols");
    sub->add_option("--genome", a.genome, "10x .h5: the genome to read");
}

CellMatrix read_matrix(const std::string& path, const MatrixArgs& a, const RunControl& rc) {
    io::ReadOptions o;
    o.use_raw = a.raw;
    o.layer = a.layer;
    o.gene_column = a.gene_column;
    o.genome = a.genome;
    o.control = &rc;
    CellMatrix m = native::read_input(path, o);
    if (m.n_cells == 0) throw input_error(path, "has no cells");
    return m;
}

std::vector<std::string> read_labels(const CellMatrix& m, const std::string& path, const std::string& labels_file,
                                     const std::string& column, std::vector<std::string>* warnings) {
    annotate::CellLabels l;
    if (!labels_file.empty()) {
        io::LabelsOptions lo;
        lo.column = column;
        const auto rows = io::parse_labels(native::read_file(labels_file), labels_file, lo);
        l = annotate::labels_for_cells(m.barcodes, rows, labels_file, path);
    } else if (!column.empty()) {
        l = annotate::labels_from_column(m, column, path);
    } else {
        throw InputError("give the reference's cell types: --labels FILE (barcode<TAB>label) or --label-column COLUMN");
    }
    if (warnings) warnings->insert(warnings->end(), l.warnings.begin(), l.warnings.end());
    return std::move(l.labels);
}

ModelChoice choose_model(const std::string& path, bool no_pretrained, std::vector<std::string>* warnings) {
    ModelChoice c;
    if (no_pretrained) {
        if (!path.empty()) throw InputError("--model and --no-pretrained contradict each other: give one");
        return c;
    }
    c.path = path;
    if (c.path.empty()) {
        std::vector<std::string> looked;
        c.path = native::find_default_model(&looked);
        if (c.path.empty()) {
            std::string where;
            for (const auto& l : looked) where += (where.empty() ? "" : ", ") + l;
            if (warnings)
                warnings->push_back("no shipped model found (looked for " + where +
                                    "): training without pre-training; pass --model FILE to use one");
            return c;
        }
    }
    c.model = native::load_model(c.path);
    return c;
}

std::optional<OrthologTable> read_orthologs(const std::string& path) {
    if (path.empty()) return std::nullopt;
    return io::parse_orthologs(native::read_file(path), path);
}

std::string tsv_cell(const std::string& s) { return app::tsv_cell(s); }

std::string predictions_table(const annotate::Predictions& p, const std::vector<std::string>& classes,
                              bool probabilities, bool details, bool header) {
    app::TableOptions o;
    o.probabilities = probabilities;
    o.details = details;
    o.header = header;
    return app::predictions_table(p, classes, o);
}

}  // namespace scpt::cli
