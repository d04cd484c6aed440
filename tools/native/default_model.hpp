// Where scpt finds the shipped model when no --model is given: $SCPT_MODEL, else
// models/default.scpt of the source tree the binary was built in (build/bin/scpt -> ../../models),
// else <prefix>/share/scpt/models/default.scpt next to an installed binary.
#pragma once
#include <string>
#include <vector>

namespace scpt::native {

// The first existing candidate, or "" (then *looked lists where it looked).
std::string find_default_model(std::vector<std::string>* looked = nullptr);

}  // namespace scpt::native
