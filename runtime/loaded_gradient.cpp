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

namespace {
template <class T> T scalar_of(T (*)(const T*));
using Scalar = decltype(scalar_of(&GRADGEN_FN));
constexpr std::size_t kInputs = GRADGEN_FN_inputs.size();
constexpr std::size_t kWrt = GRADGEN_FN_wrt.size();
}  // namespace

extern "C" {
std::size_t gradgen_scalar_bytes() { return sizeof(Scalar); }
std::size_t gradgen_input_count() { return kInputs; }
std::size_t gradgen_wrt_count() { return kWrt; }
const char* gradgen_input_name(std::size_t i, std::size_t* length) {
  *length = GRADGEN_FN_inputs[i].size();
  return GRADGEN_FN_inputs[i].data();
}
const char* gradgen_wrt_name(std::size_t i, std::size_t* length) {
  *length = GRADGEN_FN_wrt[i].size();
  return GRADGEN_FN_wrt[i].data();
}
double gradgen_value(const double* in) {
  Scalar x[kInputs + 1] = {};
  for (std::size_t i = 0; i < kInputs; ++i) x[i] = static_cast<Scalar>(in[i]);
  return static_cast<double>(GRADGEN_FN(x));
}
double gradgen_gradient(const double* in, double* grad) {
  Scalar x[kInputs + 1] = {};
  Scalar g[kWrt + 1] = {};
  for (std::size_t i = 0; i < kInputs; ++i) x[i] = static_cast<Scalar>(in[i]);
  const Scalar value = GRADGEN_FN_grad(x, g);
  for (std::size_t j = 0; j < kWrt; ++j) grad[j] = static_cast<double>(g[j]);
  return static_cast<double>(value);
}
#ifdef GRADGEN_FN_hessian
double gradgen_hessian(const double* in, double* grad, double* hess) {
  Scalar x[kInputs + 1] = {};
  Scalar g[kWrt + 1] = {};
  Scalar h[kWrt * kWrt + 1] = {};
  for (std::size_t i = 0; i < kInputs; ++i) x[i] = static_cast<Scalar>(in[i]);
  const Scalar value = GRADGEN_FN_hessian(x, g, h);
  for (std::size_t j = 0; j < kWrt; ++j) grad[j] = static_cast<double>(g[j]);
  for (std::size_t j = 0; j < kWrt * kWrt; ++j) hess[j] = static_cast<double>(h[j]);
  return static_cast<double>(value);
}
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
  std::vector<std::string> argv{compiler};
  argv.insert(argv.end(), settings.flags.begin(), settings.flags.end());
  const std::string library = dir.path() + "/gradient.so";
  if (settings.hessian) argv.push_back("-DGRADGEN_FN_hessian=" + function + "_hessian");
  argv.insert(argv.end(), {"-shared", "-fPIC", "-DGRADGEN_FN=" + function,
                           "-DGRADGEN_FN_grad=" + function + "_grad",
                           "-DGRADGEN_FN_inputs=" + function + "_inputs",
                           "-DGRADGEN_FN_wrt=" + function + "_wrt", "-I", dir.path(),
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
  g.value_ = symbol<double (*)(const double*)>(h, "gradgen_value");
  g.gradient_ = symbol<double (*)(const double*, double*)>(h, "gradgen_gradient");
  if (settings.hessian) {
    g.hessian_ = symbol<double (*)(const double*, double*, double*)>(h, "gradgen_hessian");
  }
  return g;
}

double LoadedGradient::value(const double* in) const { return value_(in); }

double LoadedGradient::gradient(const double* in, double* grad) const { return gradient_(in, grad); }

double LoadedGradient::hessian(const double* in, double* grad, double* hess) const {
  if (hessian_ == nullptr) throw std::logic_error("LoadedGradient: compiled without hessian");
  return hessian_(in, grad, hess);
}

}  // namespace gradgen::runtime
