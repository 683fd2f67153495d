#include "loaded_gradient.hpp"

#include <dlfcn.h>

#include <fstream>

#include "process.hpp"

namespace gradgen::runtime {
namespace {

// Exposes the header's functions with C linkage, in doubles, and which of
// them it offers. What a header offers is found out by the C++ compiler,
// not by reading its text: the probes (probes_for()) declare a stand-in
// returning `Absent` for every name a header may hold, visible in its
// namespace only where the header does not declare that name itself.
// The scalar type is read off NAME's array form.
constexpr const char* kWrapper = R"(
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace {
template <class T> T scalar_of(T (*)(const T*));
template <class T> T scalar_of(void (*)(const T*, T*));
using Scalar = decltype(scalar_of(&GRADGEN_FN));
using gradgen_probe::Absent;
template <class T> constexpr bool kDeclared = !std::is_same<std::decay_t<T>, Absent>::value;

// `names` when the header declares it, else `otherwise`.
template <class A, class B>
constexpr const auto& either(const A& names, const B& otherwise) {
  if constexpr (kDeclared<A>) {
    return names;
  } else {
    return otherwise;
  }
}
constexpr bool kSeveral = kDeclared<decltype(GRADGEN_FN_outputs)>;
constexpr std::size_t kInputs = GRADGEN_FN_inputs.size();
// No NAME_wrt (the v1 contract makes it part of --wrt only): the gradient
// is with respect to every input.
constexpr const auto& kWrtNames = either(GRADGEN_FN_wrt, GRADGEN_FN_inputs);
constexpr const auto& kOutputNames = either(GRADGEN_FN_outputs, GRADGEN_FN_inputs);
constexpr std::size_t kWrt = kWrtNames.size();
constexpr std::size_t kOutputs = kSeveral ? kOutputNames.size() : 1;

// Offers<S>: the call compiles and is the header's own function (not a probe).
template <class S> S* p();
#define GRADGEN_OFFERS(trait, call)                                             \
  template <class S, class = void> struct trait : std::false_type {};          \
  template <class S>                                                            \
  struct trait<S, std::void_t<decltype(call)>> : std::bool_constant<kDeclared<decltype(call)>> {};
GRADGEN_OFFERS(OffersValue, GRADGEN_FN(p<S>()))
GRADGEN_OFFERS(OffersOutputs, GRADGEN_FN(p<S>(), p<S>()))
GRADGEN_OFFERS(OffersGrad, GRADGEN_FN_grad(p<S>(), p<S>()))
GRADGEN_OFFERS(OffersVjp, GRADGEN_FN_vjp(p<S>(), p<S>(), p<S>(), p<S>()))
GRADGEN_OFFERS(OffersJvp, GRADGEN_FN_jvp(p<S>(), p<S>(), p<S>()))
GRADGEN_OFFERS(OffersJvpOutputs, GRADGEN_FN_jvp(p<S>(), p<S>(), p<S>(), p<S>()))
GRADGEN_OFFERS(OffersJacobian, GRADGEN_FN_jacobian(p<S>(), p<S>(), p<S>()))
GRADGEN_OFFERS(OffersHessian, GRADGEN_FN_hessian(p<S>(), p<S>(), p<S>()))
GRADGEN_OFFERS(OffersHvp, GRADGEN_FN_hvp(p<S>(), p<S>(), p<S>()))
GRADGEN_OFFERS(OffersBatch, GRADGEN_FN_batch(std::size_t{1}, p<S>(), p<S>()))
GRADGEN_OFFERS(OffersGradBatch, GRADGEN_FN_grad_batch(std::size_t{1}, p<S>(), p<S>(), p<S>()))

// The header's scalars from doubles and back (one spare: never empty).
template <class S>
struct Scalars {
  explicit Scalars(std::size_t n, const double* from = nullptr) : v_(n + 1) {
    for (std::size_t i = 0; i < n && from != nullptr; ++i) v_[i] = static_cast<S>(from[i]);
  }
  void to(double* out) const {
    for (std::size_t i = 0; i + 1 < v_.size(); ++i) out[i] = static_cast<double>(v_[i]);
  }
  S* data() { return v_.data(); }
  std::vector<S> v_;
};

// Each function's call in doubles, for S = Scalar; only instantiated for
// the functions the header offers.
template <class S>
struct Calls {
  static double value(const double* in) {
    Scalars<S> x(kInputs, in);
    return static_cast<double>(GRADGEN_FN(x.data()));
  }
  static double gradient(const double* in, double* grad) {
    Scalars<S> x(kInputs, in), g(kWrt);
    const S value = GRADGEN_FN_grad(x.data(), g.data());
    g.to(grad);
    return static_cast<double>(value);
  }
  static double jvp(const double* in, const double* in_dot, double* out_dot) {
    Scalars<S> x(kInputs, in), v(kWrt, in_dot), t(1);
    const S value = GRADGEN_FN_jvp(x.data(), v.data(), t.data());
    t.to(out_dot);
    return static_cast<double>(value);
  }
  static double hessian(const double* in, double* grad, double* hess) {
    Scalars<S> x(kInputs, in), g(kWrt), h(kWrt * kWrt);
    const S value = GRADGEN_FN_hessian(x.data(), g.data(), h.data());
    g.to(grad);
    h.to(hess);
    return static_cast<double>(value);
  }
  static double hvp(const double* in, const double* v, double* hv) {
    Scalars<S> x(kInputs, in), d(kWrt, v), h(kWrt);
    const S value = GRADGEN_FN_hvp(x.data(), d.data(), h.data());
    h.to(hv);
    return static_cast<double>(value);
  }
  static void outputs(const double* in, double* out) {
    Scalars<S> x(kInputs, in), y(kOutputs);
    GRADGEN_FN(x.data(), y.data());
    y.to(out);
  }
  static void jacobian(const double* in, double* out, double* jac) {
    Scalars<S> x(kInputs, in), y(kOutputs), j(kOutputs * kWrt);
    GRADGEN_FN_jacobian(x.data(), y.data(), j.data());
    y.to(out);
    j.to(jac);
  }
  static void vjp(const double* in, const double* out_bar, double* out, double* in_bar) {
    Scalars<S> x(kInputs, in), w(kOutputs, out_bar), y(kOutputs), g(kWrt);
    GRADGEN_FN_vjp(x.data(), w.data(), y.data(), g.data());
    y.to(out);
    g.to(in_bar);
  }
  static void jvp_outputs(const double* in, const double* in_dot, double* out, double* out_dot) {
    Scalars<S> x(kInputs, in), v(kWrt, in_dot), y(kOutputs), t(kOutputs);
    GRADGEN_FN_jvp(x.data(), v.data(), y.data(), t.data());
    y.to(out);
    t.to(out_dot);
  }
};

// The function, or null when the header does not offer it.
#define GRADGEN_IF(trait, f) []() -> decltype(&Calls<Scalar>::f) { \
    if constexpr (trait<Scalar>::value) return &Calls<Scalar>::f; else return nullptr; }()
}  // namespace

extern "C" {
std::size_t gradgen_scalar_bytes() { return sizeof(Scalar); }
std::size_t gradgen_input_count() { return kInputs; }
std::size_t gradgen_wrt_count() { return kWrt; }
std::size_t gradgen_output_count() { return kSeveral ? kOutputs : 0; }
const char* gradgen_input_name(std::size_t i, std::size_t* length) {
  *length = GRADGEN_FN_inputs[i].size();
  return GRADGEN_FN_inputs[i].data();
}
const char* gradgen_wrt_name(std::size_t i, std::size_t* length) {
  *length = kWrtNames[i].size();
  return kWrtNames[i].data();
}
const char* gradgen_output_name(std::size_t i, std::size_t* length) {
  *length = kOutputNames[i].size();
  return kOutputNames[i].data();
}
// One pointer per function in doubles, null for those the header lacks.
void* const* gradgen_functions() {
  static void* const functions[] = {
    reinterpret_cast<void*>(GRADGEN_IF(OffersValue, value)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersGrad, gradient)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersJvp, jvp)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersHessian, hessian)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersHvp, hvp)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersOutputs, outputs)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersJacobian, jacobian)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersVjp, vjp)),
    reinterpret_cast<void*>(GRADGEN_IF(OffersJvpOutputs, jvp_outputs)),
  };
  return functions;
}
// The kinds the header offers that the table above does not load.
std::uint32_t gradgen_offers_batch() {
  return (OffersBatch<Scalar>::value ? 1u : 0u) | (OffersGradBatch<Scalar>::value ? 2u : 0u);
}
}
)";

// The order of gradgen_functions[] in the wrapper.
enum Loaded : std::size_t { kValue, kGradient, kJvp, kHessian, kHvp, kOutputs, kJacobian, kVjp, kJvpOutputs, kCount };

// The wrapper's first lines: the header, then a probe for each name of
// `function` (ns::NAME or NAME) that a header may leave out, made visible
// in its namespace.
std::string probes_for(const std::string& function) {
  const std::size_t colons = function.rfind("::");
  const std::string name = colons == std::string::npos ? function : function.substr(colons + 2);
  const std::string ns = colons == std::string::npos ? "" : function.substr(0, colons);
  std::string out = "#include \"header.hpp\"\n\nnamespace gradgen_probe {\nstruct Absent {};\n";
  for (const FunctionKindInfo& kind : kFunctionKinds) {
    if (kind.suffix.empty()) continue;
    out += "template <class... A> Absent " + name + std::string(kind.suffix) + "(A...);\n";
  }
  for (const char* table : {"_wrt", "_outputs"}) out += "inline constexpr Absent " + name + table + "{};\n";
  out += "}  // namespace gradgen_probe\n";
  out += ns.empty() || ns == "::" ? "using namespace gradgen_probe;\n"
                                  : "namespace " + ns + " {\nusing namespace gradgen_probe;\n}\n";
  return out;
}

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
  std::ofstream(dir.path() + "/wrapper.cpp", std::ios::binary) << probes_for(function) << kWrapper;
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
  // Names qualified, ::NAME in the global namespace, so that a name the
  // header declares hides its probe.
  const std::string qualified = function.find("::") == std::string::npos ? "::" + function : function;
  argv.push_back("-DGRADGEN_FN=" + qualified);
  for (const FunctionKindInfo& kind : kFunctionKinds) {
    if (kind.suffix.empty()) continue;
    argv.push_back("-DGRADGEN_FN" + std::string(kind.suffix) + "=" + qualified + std::string(kind.suffix));
  }
  for (const char* table : {"_inputs", "_wrt", "_outputs"}) {
    argv.push_back(std::string("-DGRADGEN_FN") + table + "=" + qualified + table);
  }
  argv.insert(argv.end(), {"-shared", "-fPIC", "-I", dir.path(), dir.path() + "/wrapper.cpp", "-o", library});
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
  g.outputs_ = names("gradgen_output_count", "gradgen_output_name");
  g.scalar_bytes_ = symbol<Count>(h, "gradgen_scalar_bytes")();
  void* const* f = symbol<void* const* (*)()>(h, "gradgen_functions")();
  const auto load = [&](auto& to, Loaded which) { to = reinterpret_cast<std::remove_reference_t<decltype(to)>>(f[which]); };
  load(g.value_, kValue);
  load(g.gradient_, kGradient);
  load(g.jvp_, kJvp);
  load(g.hessian_, kHessian);
  load(g.hvp_, kHvp);
  load(g.outputs_fn_, kOutputs);
  load(g.jacobian_, kJacobian);
  load(g.vjp_, kVjp);
  load(g.jvp_outputs_, kJvpOutputs);
  const auto offer = [&](FunctionKind kind, bool offered) {
    if (offered) g.offers_ |= bit(kind);
  };
  offer(FunctionKind::kValue, g.value_ != nullptr || g.outputs_fn_ != nullptr);
  offer(FunctionKind::kGrad, g.gradient_ != nullptr);
  offer(FunctionKind::kVjp, g.vjp_ != nullptr);
  offer(FunctionKind::kJvp, g.jvp_ != nullptr || g.jvp_outputs_ != nullptr);
  offer(FunctionKind::kJacobian, g.jacobian_ != nullptr);
  offer(FunctionKind::kHessian, g.hessian_ != nullptr);
  offer(FunctionKind::kHvp, g.hvp_ != nullptr);
  const std::uint32_t batch = symbol<std::uint32_t (*)()>(h, "gradgen_offers_batch")();
  offer(FunctionKind::kBatch, (batch & 1u) != 0);
  offer(FunctionKind::kGradBatch, (batch & 2u) != 0);
  if (!g.offers(FunctionKind::kValue)) {
    throw CompileError("the header's " + function + " is neither " + function + "(in) nor " + function +
                           "(in, out) of the contract (docs/generated-code.md)",
                       "");
  }
  return g;
}

// A function the header does not offer: a mistake of the caller's, who can
// ask offers() first.
template <class F>
F require(F f, const char* what) {
  if (f == nullptr) throw std::logic_error(std::string("LoadedGradient: the header has no ") + what);
  return f;
}

double LoadedGradient::value(const double* in) const { return require(value_, "NAME(in)")(in); }
double LoadedGradient::gradient(const double* in, double* grad) const {
  return require(gradient_, "NAME_grad")(in, grad);
}
double LoadedGradient::jvp(const double* in, const double* in_dot, double* out_dot) const {
  return require(jvp_, "NAME_jvp of one output")(in, in_dot, out_dot);
}
double LoadedGradient::hessian(const double* in, double* grad, double* hess) const {
  return require(hessian_, "NAME_hessian")(in, grad, hess);
}
double LoadedGradient::hvp(const double* in, const double* v, double* hv) const {
  return require(hvp_, "NAME_hvp")(in, v, hv);
}
void LoadedGradient::outputs(const double* in, double* out) const {
  require(outputs_fn_, "NAME(in, out) of several outputs")(in, out);
}
void LoadedGradient::jacobian(const double* in, double* out, double* jac) const {
  require(jacobian_, "NAME_jacobian")(in, out, jac);
}
void LoadedGradient::vjp(const double* in, const double* out_bar, double* out, double* in_bar) const {
  require(vjp_, "NAME_vjp")(in, out_bar, out, in_bar);
}
void LoadedGradient::jvp(const double* in, const double* in_dot, double* out, double* out_dot) const {
  require(jvp_outputs_, "NAME_jvp of several outputs")(in, in_dot, out, out_dot);
}

}  // namespace gradgen::runtime
