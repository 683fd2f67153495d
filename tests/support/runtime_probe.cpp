// A program that compiles a header with gradgen's runtime and nothing else,
// for the tests of what happens around a compile that another process
// interrupts (tests/test_process.cpp).
//
//   gradgen_runtime_probe COMPILER [TIMEOUT_SECONDS] [--own-handler | --returning-handler]
//
// Exits 0 when the header compiled, 3 with the message on stderr when it did
// not. --own-handler installs, before the compile, a SIGTERM handler that
// removes the runtime's temporaries and exits with 7; --returning-handler
// one that only returns (the process goes on).
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "runtime/loaded_gradient.hpp"
#include "runtime/process.hpp"

namespace {

void own_handler(int) {
  gradgen::runtime::remove_temporaries_now();
  _exit(7);
}

void returning_handler(int) {}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMPILER [TIMEOUT_SECONDS] [--own-handler]\n", argv[0]);
    return 2;
  }
  // SIGQUIT's default effect dumps core; the tests want no core files.
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);

  gradgen::runtime::CompileSettings settings;
  settings.compiler = argv[1];
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--own-handler") == 0) {
      signal(SIGTERM, own_handler);
    } else if (std::strcmp(argv[i], "--returning-handler") == 0) {
      signal(SIGTERM, returning_handler);
    } else {
      settings.timeout_seconds = std::atof(argv[i]);
    }
  }
  try {
    gradgen::runtime::LoadedGradient::compile("inline double f(const double* in) { return in[0]; }\n", "f",
                                              settings);
  } catch (const gradgen::runtime::CompileError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 3;
  }
  return 0;
}
