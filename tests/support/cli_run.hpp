// Test support: running the gradgen binary (GRADGEN_BINARY) as a separate
// process, as a user does, and the files around it.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/process.hpp"

namespace gradgen::testing {

using Args = std::vector<std::string>;

inline runtime::ProcessResult gradgen_run(const Args& args) {
  Args argv{GRADGEN_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  runtime::ProcessResult r = runtime::run_process(argv);
  REQUIRE(r.started);
  return r;
}

// A shell pipeline into gradgen; the binary's path is passed as $0, never
// spliced into the command text.
inline runtime::ProcessResult piped(const std::string& pipeline) {
  runtime::ProcessResult r = runtime::run_process({"/bin/sh", "-c", pipeline, GRADGEN_BINARY});
  REQUIRE(r.started);
  return r;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out);
}

}  // namespace gradgen::testing
