// One sentence saying what annotate fitted, for the CLI's summary and the page's: the linear head
// is a logistic regression (no epochs), the other classifiers train for epochs.
#pragma once
#include <string>

#include "core/annotate/annotate.hpp"

namespace scpt::annotate {

// E.g. "head mode: a logistic-regression head fitted on 180 training cells (8,686 genes -> 200
// encoder outputs + 50 reference PCs); validation accuracy 0.967 on 60 held-out reference cells,
// then refitted on all 240 labelled cells", or "full mode, 8,686 genes: 37 epochs, best validation
// accuracy 0.95 at epoch 27 (180 training, 60 validation cells)".
std::string describe_fit(const FitSummary& f);

}  // namespace scpt::annotate
