// Builds the bad inputs of the hostile-input catalogue (tests/hostile/catalogue.json) from REAL
// files of the shared data folder: every case starts by copying real files, then applies small
// edits (cut, flip, edit a header, delete an HDF5 dataset, patch a model header). Nothing here
// invents expression values; the only synthetic bytes are the edits themselves.
//
// Used by the CLI test (tests/tools/hostile_cli_test.cpp) and by `scpt_hostile_gen`, which writes
// every case to a folder with a manifest.json for the browser tests (tests/hostile/README.md).
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace scpt::hostile {

using nlohmann::json;

// A shared file a case needs is absent: the case is skipped, not failed.
struct MissingData : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Case {
    std::string id;
    std::string description;
    std::string command;            // the scpt subcommand ("info", "inspect", "quantize", "annotate")
    std::vector<std::string> args;  // after the subcommand; {dir} = the case folder, {out} = an empty output folder
    int status = 2;                 // expected exit status
    std::string message;            // regex: the one stderr line (status 2) or one of the notes (status 0)
    bool existing_output = false;   // {out}/ holds files before the run that must come out unchanged
    json build;                     // the list of edit operations
    json expect;                    // the whole "expect" object (json field checks, ...)
    json page;                      // how the browser test uploads this case (see README.md)
};

// gtest prints a parameter by this (its id) instead of a byte dump.
inline void PrintTo(const Case& c, std::ostream* os) { *os << c.id; }

// Reads and checks the catalogue (unique ids, known fields). Throws std::runtime_error.
std::vector<Case> load_catalogue(const std::string& path);

// Builds one case's input files into `dir` (which must exist and be empty), reading real files
// from `data_dir`. Throws MissingData when a source is absent, std::runtime_error on a bad op.
void build_case(const Case& c, const std::string& data_dir, const std::string& dir);

// ---- ops, by family (generator_text.cpp, generator_h5.cpp, generator_model.cpp) ----
// Each returns true when it handled `op` (its "op" field names one of its operations).
bool apply_text_op(const json& op, const std::string& data_dir, const std::string& dir);
bool apply_h5_op(const json& op, const std::string& dir);
bool apply_model_op(const json& op, const std::string& dir);

// Small file helpers shared by the op families.
std::string read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::string& bytes);
std::string in_dir(const std::string& dir, const std::string& name);

}  // namespace scpt::hostile
