// The terms a dataset and a model share: the value transform a model expects and the names of one
// gene of its vocabulary. Here, in data/, so that gene matching and transforms (data/) and the model
// file (model/) both use them, model/ above data/ and never the reverse.
#pragma once
#include <cstdint>
#include <string>

namespace scpt {

// The value transform the model expects between the matrix a user has and the encoder input.
enum class Transform : uint32_t {
    Log1p = 0,            // log(1 + x) of raw counts (scPretrain's own choice)
    CountsPer10kLog1p = 1 // log(1 + 1e4 * x / total counts of the cell)
};
const char* transform_name(Transform t);
// Parses "log1p", "cp10k_log1p"; returns false for anything else.
bool parse_transform(const std::string& name, Transform& out);

// One gene of the model's vocabulary, with its names in both species where known (from the
// one-to-one ortholog table at build time), so human and mouse data both match without extra files.
struct ModelGene {
    std::string human_symbol;
    std::string mouse_symbol;
    std::string ensembl_id;  // human Ensembl id where known, else empty
};

}  // namespace scpt
