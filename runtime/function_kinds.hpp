// The kinds of function a generated header can hold, described once
// (shared/spec/generated-code.md): the emitter writes them in this order
// (compiler/emit/header.cpp), the runtime loads those a header offers
// (loaded_gradient.cpp) and `gradgen check` checks them (cli/check.cpp).
// Header-only and free of the compiler, so that the runtime, which users
// install on its own, can include it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gradgen {

enum class FunctionKind : std::uint8_t {
  kValue,       // NAME(in) -> value, or NAME(in, out) with several outputs
  kGrad,        // NAME_grad(in, grad) -> value
  kVjp,         // NAME_vjp(in, out_bar, out, in_bar)
  kJvp,         // NAME_jvp(in, in_dot, out_dot) -> value, or (in, in_dot, out, out_dot)
  kJacobian,    // NAME_jacobian(in, out, jac)
  kHessian,     // NAME_hessian(in, grad, hess) -> value
  kHvp,         // NAME_hvp(in, v, hv) -> value
  kBatch,       // NAME_batch(n, in, out)
  kGradBatch,   // NAME_grad_batch(n, in, out, grad)
  kNamedForms,  // NAME(a, b) and NAME_grad(a, b, da, db): named arguments
};
inline constexpr std::size_t kFunctionKindCount = 10;

// What decides which kinds a header holds: the options it was made with and
// whether the program has several outputs.
struct HeaderShape {
  bool several_outputs = false;
  bool hessian = false;  // --hessian
  bool batch = false;    // --batch
};

enum class Presence : std::uint8_t {
  kAlways,
  kOneOutput,       // a program with one output
  kSeveralOutputs,  // --output y1,y2
  kHessian,         // --hessian (one output only)
  kBatch,           // --batch (one output only)
};

struct FunctionKindInfo {
  FunctionKind kind;
  std::string_view suffix;  // NAME + suffix; "" for NAME itself
  Presence when;
  std::string_view role;  // what the kind is, for messages and parts' names
};

// In the order of a header, and of the enum (checked below).
inline constexpr std::array<FunctionKindInfo, kFunctionKindCount> kFunctionKinds{{
    {FunctionKind::kValue, "", Presence::kAlways, "value"},
    {FunctionKind::kGrad, "_grad", Presence::kOneOutput, "grad"},
    {FunctionKind::kVjp, "_vjp", Presence::kSeveralOutputs, "vjp"},
    {FunctionKind::kJvp, "_jvp", Presence::kAlways, "jvp"},
    {FunctionKind::kJacobian, "_jacobian", Presence::kSeveralOutputs, "jacobian"},
    {FunctionKind::kHessian, "_hessian", Presence::kHessian, "hessian"},
    {FunctionKind::kHvp, "_hvp", Presence::kHessian, "hvp"},
    {FunctionKind::kBatch, "_batch", Presence::kBatch, "batch"},
    {FunctionKind::kGradBatch, "_grad_batch", Presence::kBatch, "grad_batch"},
    {FunctionKind::kNamedForms, "", Presence::kOneOutput, "named arguments"},
}};

constexpr bool kinds_in_enum_order() {
  for (std::size_t i = 0; i < kFunctionKinds.size(); ++i) {
    if (static_cast<std::size_t>(kFunctionKinds[i].kind) != i) return false;
  }
  return true;
}
static_assert(kinds_in_enum_order(), "kFunctionKinds: one row per FunctionKind, in enum order");

constexpr const FunctionKindInfo& info(FunctionKind k) { return kFunctionKinds[static_cast<std::size_t>(k)]; }

// Whether a header of `shape` holds functions of kind `k`.
constexpr bool present(FunctionKind k, const HeaderShape& shape) {
  switch (info(k).when) {
    case Presence::kAlways: return true;
    case Presence::kOneOutput: return !shape.several_outputs;
    case Presence::kSeveralOutputs: return shape.several_outputs;
    case Presence::kHessian: return shape.hessian && !shape.several_outputs;
    case Presence::kBatch: return shape.batch && !shape.several_outputs;
  }
  return false;
}

// A set of kinds, one bit per kind (what a compiled header offers).
constexpr std::uint32_t bit(FunctionKind k) { return std::uint32_t{1} << static_cast<unsigned>(k); }

}  // namespace gradgen
