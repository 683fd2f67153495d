// `gradgen check` and `gradgen eval`: the guide's rule that every analytic
// gradient is checked against a numerical one, as commands.
#pragma once

#include <string>
#include <vector>

namespace gradgen::cli {

// gradgen check PROGRAM ... | gradgen check --header FILE --name NAME ...
// Exit status 0 when every gradient agrees, 1 when one does not (or the
// program or header is bad), 2 for bad usage.
int check(const std::vector<std::string>& args);

// gradgen eval PROGRAM --at a=1,b=2 [--json]: value and gradient from the
// reference evaluator.
int eval(const std::vector<std::string>& args);

}  // namespace gradgen::cli
