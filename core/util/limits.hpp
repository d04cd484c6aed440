// Documented limits on input sizes, checked before anything is allocated, so that a file that
// declares absurd dimensions is refused with a message instead of exhausting memory.
// The defaults fit wasm32's 4 GB address space; native tools may raise them with options.
#pragma once
#include <cstdint>
#include <string>

#include "core/util/error.hpp"

namespace scpt {

struct Limits {
    int64_t max_cells = 20'000'000;          // rows of one matrix
    int64_t max_genes = 1'000'000;           // features of one matrix
    int64_t max_nonzeros = 400'000'000;      // stored entries held in memory at once (~3.2 GB as CSR)
    int64_t max_model_bytes = 1'000'000'000; // decompressed model file
    int64_t max_label_classes = 10'000;
    int64_t max_inflated_bytes = 2'000'000'000; // a gzip file decompressed whole into memory

    // Throws InputError naming `what` when value exceeds limit (or is negative).
    static void check(const std::string& what, const char* quantity, int64_t value, int64_t limit) {
        if (value < 0)
            throw input_error(what, std::string("declares a negative number of ") + quantity);
        if (value > limit)
            throw input_error(what, std::string("declares ") + std::to_string(value) + " " + quantity +
                                        ", above the limit of " + std::to_string(limit) +
                                        " (the file may be corrupt)");
    }
};

}  // namespace scpt
