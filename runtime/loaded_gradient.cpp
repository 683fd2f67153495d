#include "loaded_gradient.hpp"

#include <dlfcn.h>

#include <fstream>

#include "process.hpp"

namespace gradgen::runtime {
namespace {

// Exposes NAME, NAME_grad, NAME_inputs and NAME_wrt with C linkage, in
// doubles. The scalar type is read off NAME's array form.
constexpr const char* kWrapper = R"(#include "header.hpp"
#include <cstddef>
#include <vector>

namespace {
template <class T> T scalar_of(T (*)(const T*));
template <class T> T scalar_of(void (*)(const T*, T*));
using Scalar = decltype(scalar_of(&GRADGEN_FN));
constexpr std::size_t kInputs = GRADGEN_FN_inputs.size();
#ifdef GRADGEN_FN_wrt
constexpr std::size_t kWrt = GRADGEN_FN_wrt.size();
#else
// No NAME_wrt (the v1 contract makes it part of --wrt only): the gradient
// is with respect to every input.
#define GRADGEN_FN_wrt GRADGEN_FN_inputs
constexpr std::size_t kWrt = GRADGEN_FN_inputs.size();
#endif
#ifdef GRADGEN_SEVERAL
constexpr std::size_t kOutputs = GRADGEN_FN_outputs.size();
#else
constexpr std::size_t kOutputs = 1;
#endif

// The header's scalars from doubles and back (one spare: never empty).
struct Scalars {
  explicit Scalars(std::size_t n, const double* from = nullptr) : v_(n + 1) {
    for (std::size_t i = 0; i < n && from != nullptr; ++i) v_[i] = static_cast<Scalar>(from[i]);
  }
  void to(double* out) const {
    for (std::size_t i = 0; i + 1 < v_.size(); ++i) out[i] = static_cast<double>(v_[i]);
  }
  Scalar* data() { return v_.data(); }
  std::vector<Scalar> v_;
};
}  // namespace

extern "C" {
std::size_t gradgen_scalar_bytes() { return sizeof(Scalar); }
std::size_t gradgen_input_count() { return kInputs; }
std::size_t gradgen_wrt_count() { return kWrt; }
std::size_t gradgen_output_count() { return kOutputs; }
const char* gradgen_input_name(std::size_t i, std::size_t* length) {
  *length = GRADGEN_FN_inputs[i].size();
  return GRADGEN_FN_inputs[i].data();
}
const char* gradgen_wrt_name(std::size_t i, std::size_t* length) {
  *length = GRADGEN_FN_wrt[i].size();
  return GRADGEN_FN_wrt[i].data();
}
#ifdef GRADGEN_SEVERAL
const char* gradgen_output_name(std::size_t i, std::size_t* length) {
  *length = GRADGEN_FN_outputs[i].size();
  return GRADGEN_FN_outputs[i].data();
}
void gradgen_outputs(const double* in, double* out) {
  Scalars x(kInputs, in), y(kOutputs);
  GRADGEN_FN(x.data(), y.data());
  y.to(out);
}
void gradgen_jacobian(const double* in, double* out, double* jac) {
  Scalars x(kInputs, in), y(kOutputs), j(kOutputs * kWrt);
  GRADGEN_FN_jacobian(x.data(), y.data(), j.data());
  y.to(out);
  j.to(jac);
}
void gradgen_vjp(const double* in, const double* out_bar, double* out, double* in_bar) {
  Scalars x(kInputs, in), w(kOutputs, out_bar), y(kOutputs), g(kWrt);
  GRADGEN_FN_vjp(x.data(), w.data(), y.data(), g.data());
  y.to(out);
  g.to(in_bar);
}
void gradgen_jvp_outputs(const double* in, const double* in_dot, double* out, double* out_dot) {
  Scalars x(kInputs, in), v(kWrt, in_dot), y(kOutputs), t(kOutputs);
  GRADGEN_FN_jvp(x.data(), v.data(), y.data(), t.data());
  y.to(out);
  t.to(out_dot);
}
#else
double gradgen_value(const double* in) {
  Scalars x(kInputs, in);
  return static_cast<double>(GRADGEN_FN(x.data()));
}
double gradgen_gradient(const double* in, double* grad) {
  Scalars x(kInputs, in), g(kWrt);
  const Scalar value = GRADGEN_FN_grad(x.data(), g.data());
  g.to(grad);
  return static_cast<double>(value);
}
#ifdef GRADGEN_FN_jvp
double gradgen_jvp(const double* in, const double* in_dot, double* out_dot) {
  Scalars x(kInputs, in), v(kWrt, in_dot), t(1);
  const Scalar value = GRADGEN_FN_jvp(x.data(), v.data(), t.data());
  t.to(out_dot);
  return static_cast<double>(value);
}
#endif
#ifdef GRADGEN_FN_hessian
double gradgen_hessian(const double* in, double* grad, double* hess) {
  Scalars x(kInputs, in), g(kWrt), h(kWrt * kWrt);
  const Scalar value = GRADGEN_FN_hessian(x.data(), g.data(), h.data());
  g.to(grad);
  h.to(hess);
  return static_cast<double>(value);
}
double gradgen_hvp(const double* in, const double* v, double* hv) {
  Scalars x(kInputs, in), d(kWrt, v), h(kWrt);
  const Scalar value = GRADGEN_FN_hvp(x.data(), d.data(), h.data());
  h.to(hv);
  return static_cast<double>(value);
}
#endif
#endif
}
)";

template <class T>
T symbol(void* handle, const char* name) {
  void* p = dlsym(handle, name);
  if (p == nullptr) throw CompileError(std::string("the compiled header lacks ") + name, dlerror());
  return reinterpret_cast<T>(p);
}

}  // namespace

struct LoadedGradient::Library {
  void* handle = nullptr;
  ~Library() {
    if (handle != nullptr) dlclose(handle);
  }
};

LoadedGradient LoadedGradient::compile(const std::string& header, const std::string& function,
                                       const CompileSettings& settings) {
  TempDir dir;
  std::ofstream(dir.path() + "/header.hpp", std::ios::binary) << header;
  std::ofstream(dir.path() + "/wrapper.cpp", std::ios::binary) << kWrapper;
  const std::string compiler = settings.compiler.empty() ? system_compiler() : settings.compiler;
  // $CXX is split into words as a shell would (CXX="ccache g++");
  // settings.compiler is one program's path, spaces and all.
  std::vector<std::string> argv{compiler};
  if (settings.compiler.empty()) {
    try {
      argv = command_words(compiler);
    } catch (const std::invalid_argument& e) {
      throw CompileError("cannot read the C++ compiler's command (CXX): " + std::string(e.what()), "");
    }
    if (argv.empty()) throw CompileError("the C++ compiler's command (CXX) is empty", "");
  }
  argv.insert(argv.end(), settings.flags.begin(), settings.flags.end());
  const std::string library = dir.path() + "/gradient.so";
  if (settings.hessian) {
    argv.push_back("-DGRADGEN_FN_hessian=" + function + "_hessian");
    argv.push_back("-DGRADGEN_FN_hvp=" + function + "_hvp");
  }
  if (settings.jvp || settings.several_outputs) argv.push_back("-DGRADGEN_FN_jvp=" + function + "_jvp");
  if (settings.wrt) argv.push_back("-DGRADGEN_FN_wrt=" + function + "_wrt");
  if (settings.several_outputs) {
    argv.insert(argv.end(), {"-DGRADGEN_SEVERAL", "-DGRADGEN_FN_outputs=" + function + "_outputs",
                             "-DGRADGEN_FN_jacobian=" + function + "_jacobian",
                             "-DGRADGEN_FN_vjp=" + function + "_vjp"});
  }
  argv.insert(argv.end(), {"-shared", "-fPIC", "-DGRADGEN_FN=" + function,
                           "-DGRADGEN_FN_grad=" + function + "_grad",
                           "-DGRADGEN_FN_inputs=" + function + "_inputs", "-I", dir.path(),
                           dir.path() + "/wrapper.cpp", "-o", library});
  const ProcessResult built = run_process(argv, settings.timeout_seconds);
  if (!built.started) {
    throw CompileError("cannot run the C++ compiler '" + compiler + "' (set CXX to choose one)",
                       built.error);
  }
  if (built.timed_out) throw CompileError(built.error, built.err);
  if (built.exit_code != 0) {
    throw CompileError("the header did not compile with " + compiler, built.err);
  }

  LoadedGradient g;
  g.library_ = std::make_shared<Library>();
  g.library_->handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (g.library_->handle == nullptr) throw CompileError("cannot load the compiled header", dlerror());
  void* h = g.library_->handle;
  using Count = std::size_t (*)();
  using Name = const char* (*)(std::size_t, std::size_t*);
  const auto names = [&](const char* count, const char* name) {
    std::vector<std::string> out;
    const std::size_t n = symbol<Count>(h, count)();
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t length = 0;
      const char* text = symbol<Name>(h, name)(i, &length);
      out.emplace_back(text, length);
    }
    return out;
  };
  g.inputs_ = names("gradgen_input_count", "gradgen_input_name");
  g.wrt_ = names("gradgen_wrt_count", "gradgen_wrt_name");
  g.scalar_bytes_ = symbol<Count>(h, "gradgen_scalar_bytes")();
  if (settings.several_outputs) {
    g.outputs_ = names("gradgen_output_count", "gradgen_output_name");
    g.outputs_fn_ = symbol<void (*)(const double*, double*)>(h, "gradgen_outputs");
    g.jacobian_ = symbol<void (*)(const double*, double*, double*)>(h, "gradgen_jacobian");
    g.vjp_ = symbol<void (*)(const double*, const double*, double*, double*)>(h, "gradgen_vjp");
    g.jvp_outputs_ =
        symbol<void (*)(const double*, const double*, double*, double*)>(h, "gradgen_jvp_outputs");
    return g;
  }
  g.value_ = symbol<double (*)(const double*)>(h, "gradgen_value");
  g.gradient_ = symbol<double (*)(const double*, double*)>(h, "gradgen_gradient");
  if (settings.jvp) g.jvp_ = symbol<double (*)(const double*, const double*, double*)>(h, "gradgen_jvp");
  if (settings.hessian) {
    g.hessian_ = symbol<double (*)(const double*, double*, double*)>(h, "gradgen_hessian");
    g.hvp_ = symbol<double (*)(const double*, const double*, double*)>(h, "gradgen_hvp");
  }
  return g;
}

double LoadedGradient::value(const double* in) const { return value_(in); }

double LoadedGradient::gradient(const double* in, double* grad) const { return gradient_(in, grad); }

// The several-output functions exist only with CompileSettings::several_outputs.
template <class F>
F require(F f, const char* what) {
  if (f == nullptr) throw std::logic_error(std::string("LoadedGradient: compiled without ") + what);
  return f;
}

double LoadedGradient::jvp(const double* in, const double* in_dot, double* out_dot) const {
  return require(jvp_, "jvp")(in, in_dot, out_dot);
}
double LoadedGradient::hvp(const double* in, const double* v, double* hv) const {
  return require(hvp_, "hessian")(in, v, hv);
}
void LoadedGradient::outputs(const double* in, double* out) const {
  require(outputs_fn_, "several outputs")(in, out);
}
void LoadedGradient::jacobian(const double* in, double* out, double* jac) const {
  require(jacobian_, "several outputs")(in, out, jac);
}
void LoadedGradient::vjp(const double* in, const double* out_bar, double* out, double* in_bar) const {
  require(vjp_, "several outputs")(in, out_bar, out, in_bar);
}
void LoadedGradient::jvp(const double* in, const double* in_dot, double* out, double* out_dot) const {
  require(jvp_outputs_, "several outputs")(in, in_dot, out, out_dot);
}

double LoadedGradient::hessian(const double* in, double* grad, double* hess) const {
  if (hessian_ == nullptr) throw std::logic_error("LoadedGradient: compiled without hessian");
  return hessian_(in, grad, hess);
}

}  // namespace gradgen::runtime
