// Documented limits on input sizes (docs/LIMITS.md), checked before anything is allocated, so that
// a file that declares absurd dimensions is refused with a message instead of exhausting memory,
// overflowing an integer or running for hours. The defaults fit wasm32's 4 GB address space;
// `scpt` raises them with --max-cells, --max-genes, --max-nonzeros, ... (tools/scpt/main.cpp).
#pragma once
#include <cstdint>
#include <string>

#include "core/util/error.hpp"

namespace scpt {

struct Limits {
    int64_t max_cells = 20'000'000;          // rows of one matrix
    int64_t max_genes = 1'000'000;           // features of one matrix
    int64_t max_nonzeros = 400'000'000;      // stored entries held in memory at once (~3.2 GB as CSR)
    int64_t max_dense_values = 40'000'000'000;  // cells x genes of a dense matrix (read in blocks: a time bound)
    int64_t max_model_bytes = 1'000'000'000; // decompressed model file
    int64_t max_label_classes = 10'000;      // distinct labels in one labels file or classifier
    int64_t max_inflated_bytes = 2'000'000'000;  // decompressed bytes of one gzip file (a time bound:
                                                 // text is streamed, never held whole)
    int64_t max_line_bytes = 256'000'000;    // one line of a text file (a CSV row of 20M cells fits)

    // Cell and gene indices are stored as int32: no axis limit may go beyond this.
    static constexpr int64_t kMaxAxis = 2'147'483'647;

    // Throws InputError naming `what` when value exceeds limit (or is negative).
    static void check(const std::string& what, const char* quantity, int64_t value, int64_t limit) {
        if (value < 0)
            throw input_error(what, std::string("declares a negative number of ") + quantity);
        if (value > limit)
            throw input_error(what, std::string("declares ") + std::to_string(value) + " " + quantity +
                                        ", above the limit of " + std::to_string(limit) +
                                        " (the file may be corrupt; see docs/LIMITS.md)");
    }

    // For things counted while reading (lines, rows): throws once `count` passes `limit`, saying
    // "has more than <limit> <quantity>" (the file's total is not known yet).
    static void check_count(const std::string& what, const char* quantity, int64_t count, int64_t limit) {
        if (count > limit)
            throw input_error(what, "has more than " + std::to_string(limit) + " " + quantity +
                                        ", the limit (see docs/LIMITS.md)");
    }

    // a * b for sizes, saturating at INT64_MAX instead of overflowing (negative inputs give -1).
    static int64_t product(int64_t a, int64_t b) {
        if (a < 0 || b < 0) return -1;
        int64_t r;
        return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
    }
};

}  // namespace scpt
