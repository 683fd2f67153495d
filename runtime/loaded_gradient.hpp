// Compiling and loading a generated header: any C++ text that follows
// shared/spec/generated-code.md (what gradgen emitted, or a hand-edited copy)
// is compiled with the system compiler into a shared object in a private
// temporary directory, loaded, and offered as typed functions of doubles,
// whatever scalar type the header uses.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "function_kinds.hpp"

namespace gradgen::runtime {

struct CompileSettings {
  // The compiler's path; empty: system_compiler() ($CXX, else c++), split
  // into words as a shell would (command_words()), so CXX="ccache g++" works.
  std::string compiler;
  std::vector<std::string> flags{"-std=c++17", "-O1"};
  double timeout_seconds = 300;
};

// The compiler could not be run, or rejected the code; what() says which,
// diagnostics() holds the compiler's own messages.
class CompileError : public std::runtime_error {
 public:
  CompileError(const std::string& what, std::string diagnostics)
      : std::runtime_error(what), diagnostics_(std::move(diagnostics)) {}
  const std::string& diagnostics() const { return diagnostics_; }

 private:
  std::string diagnostics_;
};

class LoadedGradient {
 public:
  // `function` is NAME, qualified with its namespace (ns::NAME) if any.
  // Which functions the header offers is found out as it is compiled (a
  // header without NAME_wrt, as the v1 contract allows, has its gradient
  // with respect to every input): see offers().
  static LoadedGradient compile(const std::string& header, const std::string& function,
                                const CompileSettings& settings = {});

  // Whether the header offers functions of kind `kind` (runtime/function_kinds.hpp;
  // the named-argument forms are not looked for). Calling one it does not
  // offer throws std::logic_error.
  bool offers(FunctionKind kind) const { return (offers_ & bit(kind)) != 0; }
  // NAME(in, out) with NAME_outputs, NAME_vjp and NAME_jacobian.
  bool several_outputs() const { return outputs_fn_ != nullptr; }

  const std::vector<std::string>& inputs() const { return inputs_; }  // NAME_inputs
  const std::vector<std::string>& wrt() const { return wrt_; }        // NAME_wrt
  // sizeof the header's scalar type: 4 for float, 8 for double, ...
  std::size_t scalar_bytes() const { return scalar_bytes_; }
  double value(const double* in) const;
  double gradient(const double* in, double* grad) const;
  // NAME_hessian: hess is wrt x wrt, row-major (a header made with --hessian).
  double hessian(const double* in, double* grad, double* hess) const;
  double hvp(const double* in, const double* v, double* hv) const;  // NAME_hvp
  // NAME_jvp of a one-output header (gradgen's have it; the v1 contract does not ask for it).
  double jvp(const double* in, const double* in_dot, double* out_dot) const;

  // Several outputs (several_outputs()).
  const std::vector<std::string>& output_names() const { return outputs_; }  // NAME_outputs
  void outputs(const double* in, double* out) const;
  void jacobian(const double* in, double* out, double* jac) const;  // outputs x wrt, row-major
  void vjp(const double* in, const double* out_bar, double* out, double* in_bar) const;
  void jvp(const double* in, const double* in_dot, double* out, double* out_dot) const;

 private:
  struct Library;
  std::shared_ptr<Library> library_;
  std::vector<std::string> inputs_;
  std::vector<std::string> wrt_;
  std::size_t scalar_bytes_ = sizeof(double);
  std::uint32_t offers_ = 0;  // bit(kind) for each kind offered
  double (*value_)(const double*) = nullptr;
  double (*gradient_)(const double*, double*) = nullptr;
  double (*hessian_)(const double*, double*, double*) = nullptr;
  double (*jvp_)(const double*, const double*, double*) = nullptr;
  double (*hvp_)(const double*, const double*, double*) = nullptr;
  std::vector<std::string> outputs_;
  void (*outputs_fn_)(const double*, double*) = nullptr;
  void (*jacobian_)(const double*, double*, double*) = nullptr;
  void (*vjp_)(const double*, const double*, double*, double*) = nullptr;
  void (*jvp_outputs_)(const double*, const double*, double*, double*) = nullptr;
};

}  // namespace gradgen::runtime
