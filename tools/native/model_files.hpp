// Loading and saving model files on disk for the native tools: the bytes go through the one
// reader/writer (core/model/model_file.hpp); saving is atomic (no half-written model on Ctrl-C).
#pragma once
#include <string>

#include "core/model/model_file.hpp"

namespace scpt::native {

// Reads and validates `path`; errors name the path as the user gave it.
Model load_model(const std::string& path, const Limits& limits = {}, ModelFileLayout* layout = nullptr);

// Writes `model` to `path` atomically; returns the number of bytes written.
size_t save_model(const std::string& path, const Model& model, const WriteOptions& options = {});

}  // namespace scpt::native
