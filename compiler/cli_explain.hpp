// `gradgen explain` and `gradgen dot`: the guide's two ways of showing a
// backward pass (code with the value on every wire; circuit diagrams), for
// any program, at any point.
#pragma once

#include <string>
#include <vector>

namespace gradgen::cli {

// gradgen explain PROGRAM [--at a=1,b=2]: exit 0, 1 for a bad program, 2 for bad usage.
int explain(const std::vector<std::string>& args);

// gradgen dot PROGRAM [--at ...] [-o FILE] [--svg FILE] [--png FILE].
int dot(const std::vector<std::string>& args);

}  // namespace gradgen::cli
