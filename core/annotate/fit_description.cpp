#include "core/annotate/fit_description.hpp"

#include <cstdio>

#include "core/annotate/evaluate.hpp"
#include "core/io/barcode_match.hpp"

namespace scpt::annotate {

namespace {
std::string accuracy_text(double a) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", a);
    return buf;
}
}  // namespace

std::string describe_fit(const FitSummary& f) {
    using io::count_text;
    const std::string mode = finetune_mode_name(f.mode);
    if (f.linear_head) {
        std::string inputs;
        if (f.encoder_outputs > 0) inputs = count_text(f.encoder_outputs) + " encoder outputs";
        if (f.reference_pcs > 0) inputs += (inputs.empty() ? "" : " + ") + count_text(f.reference_pcs) + " reference PCs";
        if (f.reference_genes > 0)
            inputs += (inputs.empty() ? "" : " + ") + count_text(f.reference_genes) + " marker genes";
        int64_t labelled = 0;
        for (int64_t c : f.class_counts) labelled += c;
        std::string s = mode + " mode: a logistic-regression head fitted on " + count_text(f.train_cells) + " training cells (" +
                        count_text(f.genes_used) + " genes" + (inputs.empty() ? "" : " -> " + inputs) + "); ";
        if (f.val_cells > 0)
            s += "validation accuracy " + accuracy_text(f.best_val_accuracy) + " on " + count_text(f.val_cells) +
                 " held-out reference cells, then refitted on all " + count_text(labelled) + " labelled cells";
        else
            s += "no reference cell was held out to validate it";
        return s;
    }
    std::string s = mode + " mode, " + count_text(f.genes_used) + " genes: " + count_text(int64_t(f.log.size())) +
                    " epochs, best validation accuracy " + accuracy_text(f.best_val_accuracy) + " at epoch " +
                    std::to_string(f.best_epoch) + " (" + count_text(f.train_cells) + " training, " +
                    count_text(f.val_cells) + " validation cells)";
    return s;
}

}  // namespace scpt::annotate
