// A program that compiles a header with gradgen's runtime and nothing else,
// for the tests of what happens around a compile that another process
// interrupts (tests/test_process.cpp).
//
//   gradgen_runtime_probe COMPILER [TIMEOUT_SECONDS] [--own-handler]
//
// Exits 0 when the header compiled, 3 with the message on stderr when it did
// not; with --own-handler a SIGTERM handler of its own, installed before the
// compile, exits with 7.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "runtime/loaded_gradient.hpp"

namespace {

void own_handler(int) { _exit(7); }

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
