// What the gradgen commands share: reading the program (an argument, -f FILE
// or standard input) and the options that shape the compilation (--name,
// --namespace, --inputs, --wrt, --type, --max-depth).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/compile.hpp"

namespace gradgen::cli {

// A file that cannot be read or written: exit status 1.
struct FileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ProgramArgs {
  std::string command = "gradgen";  // for messages: "gradgen", "gradgen eval", ...
  std::string program;
  bool program_given = false;
  std::string file;  // "-" for standard input
  bool stdin_implied = false;  // no program given, standard input is not a terminal
  CompileOptions compile;
  EmitOptions emit;
};

// Called for an option the shared parser does not know; `value()` takes its
// value (the next argument, or what follows '='). Returns false when the
// option is unknown to the command too.
using ExtraOption = std::function<bool(const std::string& option, const std::function<std::string()>& value)>;

// Parses `args`; throws UsageError. With `program_required`, a program (or -f)
// must be given, or standard input must not be a terminal (it is read then).
// `extra_names` are the command's own options, for "did you mean".
void parse(const std::vector<std::string>& args, ProgramArgs& out, const ExtraOption& extra,
           bool program_required = true, const std::vector<std::string>& extra_names = {});

// The options of eval and explain: --at POINT and --json.
ExtraOption at_and_json(std::string& at, bool& json);

// No program given: read standard input if it is not a terminal (true), as
// Unix tools do; parse() does this when a program is required.
bool read_piped_stdin(ProgramArgs& out);

Source read_source(const ProgramArgs& args);

// Writes a diagnostic to standard error, in colour when standard error is a
// terminal (not with NO_COLOR set, nor TERM=dumb).
void report(const Source& source, const Diagnostic& error);
bool colour_on_stderr();
std::vector<std::string> split_names(const std::string& list, const char* option);

// "a=1,b=-2" -> the values in the order of `inputs`; every input must be given.
std::vector<double> parse_point(const std::string& text, const std::vector<std::string>& inputs);
// "a=1,b=-2" -> its names and values, in the order given (NAME=NUMBER each,
// no name twice), whatever the inputs are.
std::vector<std::pair<std::string, double>> parse_assignments(const std::string& text);
double parse_number(const std::string& text, const char* option);
std::size_t parse_count(const std::string& s, const char* option);

}  // namespace gradgen::cli
