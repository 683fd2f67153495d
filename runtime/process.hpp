// Running another program (the C++ compiler, a compiled check) from an
// argument vector: no shell, so no quoting and no splicing of strings into a
// command line. Standard output and standard error are captured.
#pragma once

#include <string>
#include <vector>

namespace gradgen::runtime {

struct ProcessResult {
  int exit_code = -1;        // the exit status, or 128 + signal when killed
  bool started = false;      // false: the program could not be run (see error)
  std::string out;           // standard output
  std::string err;           // standard error
  std::string error;         // why it could not be started, or that it timed out
  bool timed_out = false;    // killed after the time limit
};

// Runs argv[0] (searched on PATH when it has no '/') with the arguments
// argv[1...]; waits for it to finish, or kills it (and its process group)
// after `timeout_seconds` when that is positive. The program's TMPDIR is a
// private directory removed afterwards, so what it leaves there (a killed
// compiler's temporaries) goes too. A signal that ends this process while it
// waits (see TempDir) kills the program's process group first.
ProcessResult run_process(const std::vector<std::string>& argv, double timeout_seconds = 0);

// A fresh private directory under $TMPDIR (or /tmp), removed with everything
// in it when the object goes out of scope -- and also when SIGINT, SIGTERM,
// SIGHUP or SIGQUIT ends the process meanwhile. While any TempDir exists,
// those signals (unless ignored) are caught: where their effect is the
// default one (the process ends), the handler kills the programs run_process
// waits for, removes the directories, and then lets the signal end the
// process. Where the program installed a handler of its own before, that
// handler is called instead and nothing is removed, since the process may go
// on; a handler that ends the process can call remove_temporaries_now()
// first. Only SIGKILL, which cannot be caught, leaves a gradgen.XXXXXX
// directory behind.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int slot_ = -1;  // in the table the signal handler reads; -1: not in it
};

// Kills the process groups of the programs run_process is waiting for and
// removes every TempDir now. Async-signal-safe: for a signal handler of the
// program's own that is about to end the process.
void remove_temporaries_now() noexcept;

// The C++ compiler to use: $CXX when set, else c++. It may be a command of
// several words (CXX="ccache g++"): see command_words().
std::string system_compiler();

// A command line split into words as a POSIX shell splits it, without
// running a shell: blanks separate words, '...' keeps everything literally,
// "..." keeps everything but \" \\ \$ \` (escaped), and \ outside quotes
// escapes the next character. No expansions ($VAR, *, ~) are made.
// Throws std::invalid_argument for a quote that is not closed.
std::vector<std::string> command_words(const std::string& command);

}  // namespace gradgen::runtime
