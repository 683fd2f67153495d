#include "compiler/emit/names.hpp"

#include <algorithm>
#include <array>
#include <functional>

#include <fmt/format.h>

#include "compiler/support/name_index.hpp"

namespace gradgen {
namespace {

// C++ keywords (up to C++20, so generated code stays valid there too) and
// the alternative tokens.
constexpr std::array<std::string_view, 97> kKeywords{
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
    "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
    "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
    "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
    "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
    "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
    "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    // Namespaces the generated code names, and identifiers with a fixed meaning.
    "std", "gradgen", "import", "module", "main",
};

// Global variables of the C library that a local would shadow (-Wshadow).
constexpr std::array<std::string_view, 16> kGlobals{
    "signgam", "environ", "timezone", "daylight", "tzname", "getdate_err", "optarg", "optind",
    "opterr", "optopt", "program_invocation_name", "program_invocation_short_name", "h_errno",
    "sys_siglist", "sys_errlist", "sys_nerr",
};

// What the header declares for a function NAME: NAME, NAME_inputs, ...
// (including the names later versions of the contract add).
constexpr std::array<std::string_view, 14> kHeaderSuffixes{
    "", "_inputs", "_wrt", "_grad", "_outputs", "_jvp", "_vjp", "_jacobian", "_hessian", "_hvp",
    "_grad_batch", "_batch", "_value", "_type",
};

constexpr std::string_view kStdNames[] = {
#include "std_names.inc"
};

constexpr std::string_view kStdGlobals[] = {
#include "std_globals.inc"
};

template <typename Table>
bool contains(const Table& table, std::string_view name) {
  return std::find(std::begin(table), std::end(table), name) != std::end(table);
}

// `_grad` in `f_grad`, and the names of a long function's parts:
// `_grad_part1`, `_grad_state`, `_value_part1` (split.hpp).
bool is_header_suffix(std::string_view suffix) {
  if (contains(kHeaderSuffixes, suffix)) return true;
  const std::size_t digits = suffix.find_last_not_of("0123456789") + 1;
  const std::string_view part = "_part", state = "_state";
  if (digits < suffix.size() && digits >= part.size() && suffix.substr(digits - part.size(), part.size()) == part) {
    return contains(kHeaderSuffixes, suffix.substr(0, digits - part.size()));
  }
  if (suffix.size() >= state.size() && suffix.substr(suffix.size() - state.size()) == state) {
    return contains(kHeaderSuffixes, suffix.substr(0, suffix.size() - state.size()));
  }
  return false;
}

}  // namespace

bool is_reserved(std::string_view name, std::string_view function) {
  if (name.find("__") != std::string_view::npos) return true;
  if (name.size() >= 2 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z') return true;
  if (name.substr(0, function.size()) == function && is_header_suffix(name.substr(function.size()))) return true;
  // Asked for every name a header claims: one flat table, no nodes to chase.
  static const NameIndex reserved = [] {
    NameIndex all;
    for (std::string_view n : kStdNames) all.add(n);
    for (std::string_view n : kKeywords) all.add(n);
    for (std::string_view n : kGlobals) all.add(n);
    return all;
  }();
  return reserved.find(name) != NameIndex::kNone;
}

bool is_library_global(std::string_view name) {
  // Sorted by the script that writes the list.
  return std::binary_search(std::begin(kStdGlobals), std::end(kStdGlobals), name);
}

std::size_t NameTable::find(std::string_view name, std::size_t hash) const {
  return table_.find(hash, [&](std::uint32_t i) { return text(names_[i]) == name; });
}

bool NameTable::contains(std::string_view name) const {
  return !table_.empty() && !table_.empty(find(name, std::hash<std::string_view>{}(name)));
}

void NameTable::take(std::string_view name) {
  room_for_one();
  const std::size_t hash = std::hash<std::string_view>{}(name);
  const std::size_t slot = find(name, hash);
  if (table_.empty(slot)) insert(slot, name, hash);
}

bool NameTable::take_if_free(std::string_view name) {
  if (is_reserved(name, function_)) return false;
  room_for_one();
  const std::size_t hash = std::hash<std::string_view>{}(name);
  const std::size_t slot = find(name, hash);
  if (!table_.empty(slot)) return false;
  insert(slot, name, hash);
  return true;
}

void NameTable::insert(std::size_t slot, std::string_view name, std::size_t hash) {
  table_.put(slot, hash, static_cast<std::uint32_t>(names_.size()));
  names_.push_back(Name{text_.size(), name.size(), hash});
  text_ += name;
}

void NameTable::room_for_one() {
  if (2 * (names_.size() + 1) <= table_.slots()) return;
  // Put back in the order taken, so that no name sits past the slot of one
  // taken after it (forget_since() empties those).
  table_.reset(names_.size() + 1);
  for (std::size_t i = 0; i < names_.size(); ++i) {
    table_.put(find(text(names_[i]), names_[i].hash), names_[i].hash, static_cast<std::uint32_t>(i));
  }
}

void NameTable::forget_since(std::size_t mark) {
  while (names_.size() > mark) {
    const Name& last = names_.back();
    table_.clear(find(text(last), last.hash));
    text_.resize(last.begin);
    names_.pop_back();
  }
}

std::string NameTable::claim(std::string_view wanted) {
  // Never a name reserved to the implementation, whatever is asked for (an
  // input `x_` gives the tangent `x__dot`): runs of '_' become one, and a
  // leading '_' before a capital gets a 'u' in front.
  std::string base;
  for (char c : wanted) {
    if (c == '_' && !base.empty() && base.back() == '_') continue;
    base += c;
  }
  if (base.size() >= 2 && base[0] == '_' && base[1] >= 'A' && base[1] <= 'Z') base = "u" + base;
  if (take_if_free(base)) return base;
  const bool ends_with_underscore = !base.empty() && base.back() == '_';
  for (int n = 1;; ++n) {
    std::string candidate;
    if (n == 1) {
      if (ends_with_underscore) continue;
      candidate = base + "_";
    } else {
      candidate = fmt::format("{}{}{}", base, ends_with_underscore ? "" : "_", n);
    }
    if (take_if_free(candidate)) return candidate;
  }
}

std::string identifier_of(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == '[') {
      out += '_';
    } else if (c != ']') {
      out += c;
    }
  }
  return out;
}

std::string NameTable::user(std::string_view name) {
  if (!is_reserved(name, function_)) return std::string(name);
  // Names reserved to the implementation (__x, _X) keep their letters with
  // each run of underscores made single, after a `u`: __GNUC__ -> u_GNUC_.
  std::string base;
  if (name.find("__") != std::string_view::npos || (name.size() >= 2 && name[0] == '_')) {
    base = "u";
    for (char c : name) {
      if (c == '_' && !base.empty() && base.back() == '_') continue;
      base += c;
    }
    if (base == name) base += "_";
  } else {
    base = std::string(name);
  }
  return claim(base);
}

}  // namespace gradgen
