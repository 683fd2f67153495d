// libFuzzer target over the whole pipeline: the input is a program (after
// one byte that picks options); parse, analyse, differentiate in every mode
// the options ask for, emit the header, explain and draw it. A crash, a
// hang, a sanitizer report or an exception other than the documented
// Diagnostic and UsageError is a bug. tests/fuzz/run.sh builds and runs it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/compile.hpp"
#include "compiler/show/dot.hpp"
#include "compiler/show/explain.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 4096) return 0;  // the limits have their own tests
  const std::uint8_t flags = data[0];
  const gradgen::Source source{"<fuzz>", std::string(reinterpret_cast<const char*>(data) + 1, size - 1)};
  gradgen::CompileOptions options;
  // Loops (v2) multiply a short input into much work: the fuzzer keeps to
  // small expansions (the limits themselves have their own tests).
  options.limits.max_statements = 20000;
  options.max_iterations = 100000;
  options.hessian = (flags & 1) != 0;
  gradgen::EmitOptions emit;
  emit.batch = (flags & 2) != 0;
  emit.one_gate_per_line = (flags & 4) != 0;
  emit.type = (flags & 8) != 0 ? gradgen::ScalarType::kFloat : gradgen::ScalarType::kDouble;
  if ((flags & 64) != 0) emit.split_lines = 1;  // every function of more than 2 lines in parts
  try {
    gradgen::Compilation c = gradgen::compile(source, options);
    if ((flags & 16) != 0 && c.circuit.names.size() > 1) {
      // Several outputs: the first two names the program assigns.
      std::vector<std::string> names;
      for (const auto& n : c.circuit.names) {
        if (n.version == 1 && names.size() < 2) names.push_back(n.name);
      }
      if (names.size() == 2) {
        options.outputs = names;
        options.hessian = false;
        c = gradgen::compile(source, options);
      }
    }
    const std::string header = gradgen::emit_header(c, emit);
    if (!c.several_outputs()) {
      std::vector<double> at(c.analysis.inputs.size(), 0.5);
      (void)gradgen::explain(c, (flags & 32) != 0 ? &at : nullptr);
      (void)gradgen::circuit_dot(c, (flags & 32) != 0 ? &at : nullptr, "fuzz");
    }
  } catch (const gradgen::Diagnostic&) {
  } catch (const gradgen::UsageError&) {
  }
  return 0;
}
