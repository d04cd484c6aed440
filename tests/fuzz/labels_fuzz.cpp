// libFuzzer target: labels files. Oracle: barcodes are non-empty and distinct, labels are never a
// missing-value marker, the counts respect the limits.
// Input: byte 0 picks the label column option (none, "2", "3", "label", "cell_type"), the rest = the file.
#include <set>

#include "core/io/labels.hpp"
#include "core/io/table.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fuzz_util.hpp"

using namespace scpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    static const char* kColumns[] = {"", "2", "3", "label", "cell_type"};
    io::LabelsOptions o;
    o.column = kColumns[data[0] % 5];
    o.limits = fuzz::small_limits();
    o.limits.max_label_classes = 1000;
    std::vector<io::LabelPair> pairs;
    try {
        pairs = io::parse_labels(fuzz::bytes_of(data + 1, size - 1), "labels.tsv", o);
    } catch (const InputError&) {
        return 0;
    }
    std::set<std::string> barcodes, classes;
    for (const auto& p : pairs) {
        if (p.barcode.empty() || !barcodes.insert(p.barcode).second) fuzz::fail("empty or repeated barcode accepted");
        if (!p.label.empty() && io::is_missing_text(p.label)) fuzz::fail("a missing-value marker kept as a label");
        if (!p.label.empty()) classes.insert(p.label);
    }
    if (pairs.empty() || int64_t(pairs.size()) > o.limits.max_cells || int64_t(classes.size()) > o.limits.max_label_classes)
        fuzz::fail("limits not applied");
    return 0;
}
