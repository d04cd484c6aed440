#include "core/app/predictions_table.hpp"

#include <cstdio>

namespace scpt::app {

std::string tsv_cell(const std::string& s) {
    std::string o = s;
    for (char& ch : o)
        if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
    return o;
}

namespace {

std::string label_text(int32_t l, const std::vector<std::string>& classes) {
    return l < 0 ? std::string("Unassigned") : tsv_cell(classes[size_t(l)]);
}

}  // namespace

std::string predictions_table(const annotate::Predictions& p, const std::vector<std::string>& classes,
                              const TableOptions& o) {
    const bool voted = !o.groups && !p.over_cluster.empty();
    const bool details = o.details && !o.groups, probabilities = o.probabilities && !o.groups;
    std::string out;
    if (o.header) {
        out = o.groups ? "barcode\tlabel" : "barcode\tlabel\tconfidence";
        if (voted) out += "\tcell_label\tover_cluster";
        if (details) out += "\tclosest\ttypicality\ttypicality_score";
        if (probabilities)
            for (const auto& c : classes) out += "\t" + tsv_cell(c);
        out += "\n";
    }
    char buf[32];
    for (size_t i = 0; i < p.cells.size(); ++i) {
        out += tsv_cell(p.barcodes[i]);
        out += '\t';
        out += label_text(p.label[i], classes);
        if (o.groups) {
            out += '\n';
            continue;
        }
        std::snprintf(buf, sizeof buf, "\t%.4f", double(p.confidence[i]));
        out += buf;
        if (voted) {  // majority voting: the cell's own label and its cluster
            out += '\t';
            out += label_text(p.cell_label[i], classes);
            out += "\t" + std::to_string(p.over_cluster[i]);
        }
        if (details) {
            out += "\t" + tsv_cell(classes[size_t(p.best[i])]);
            std::snprintf(buf, sizeof buf, "\t%.4g\t%.4g", double(p.typicality[i]),
                          i < p.typicality_score.size() ? double(p.typicality_score[i]) : 0.0);
            out += buf;
        }
        if (probabilities)
            for (size_t c = 0; c < classes.size(); ++c) {
                std::snprintf(buf, sizeof buf, "\t%.4g", double(p.probabilities(int64_t(i), int64_t(c))));
                out += buf;
            }
        out += '\n';
    }
    return out;
}

std::string predictions_table(const AnnotateOutcome& outcome, const AnnotateSettings& settings) {
    TableOptions o;
    o.probabilities = settings.probabilities;
    o.details = settings.details;
    o.groups = outcome.flow == Flow::Groups;
    return predictions_table(outcome.predictions, outcome.classes, o);
}

}  // namespace scpt::app
