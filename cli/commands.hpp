// The subcommands of gradgen, one file each beside main.cpp (which writes
// headers, the default command). Each takes the arguments after its name and
// returns the exit status: 0 done, 1 a bad program or file (or, for check, a
// gradient that disagrees), 2 bad usage.
#pragma once

#include <string>
#include <vector>

namespace gradgen::cli {

// gradgen check PROGRAM ... | gradgen check --header FILE --name NAME ...
// (check.cpp): the guide's rule that every analytic gradient is checked
// against a numerical one, as a command.
int check(const std::vector<std::string>& args);

// gradgen eval PROGRAM --at a=1,b=2 [--json] (eval.cpp): value and gradient
// from the reference evaluator.
int eval(const std::vector<std::string>& args);

// gradgen explain PROGRAM [--at a=1,b=2] [--json] (show.cpp): the forward
// and backward passes, gate by gate, in words and numbers.
int explain(const std::vector<std::string>& args);

// gradgen dot PROGRAM [--at ...] [-o FILE] [--svg FILE] [--png FILE]
// (show.cpp): the circuit as a Graphviz diagram.
int dot(const std::vector<std::string>& args);

}  // namespace gradgen::cli
