// Expansion of v2 programs (expand.hpp), in one file over the ~500-line mark
// because it is one interpreter: the static values, arrays, loops, ifs and
// calls it runs share its environment and its error messages, and a reader
// follows a statement from the Ast to the gates it makes without changing
// files.
#include "compiler/frontend/expand.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "compiler/frontend/sema.hpp"

namespace gradgen {
namespace {

using Index = std::vector<std::int64_t>;

// A number or a condition: its gate, and its value when it is static.
struct Scalar {
  NodeId node = kNoNode;  // kNoNode only for a static condition not yet needed as a gate
  bool is_static = false;
  double value = 0.0;  // when static (a condition: 0 or 1)
  bool condition = false;
};

// An array's elements. Input arrays are shared by every reference to them;
// a program's own arrays are copied where the language copies them.
struct ArrayData {
  std::string name;  // for messages
  bool input = false;
  bool growing = false;  // the first run: extents grow as indices are met
  int rank = -1;         // -1: an input whose rank no read has shown yet
  Index extents;         // per dimension
  std::map<Index, Scalar> elements;
  bool read_whole = false;  // an input read whole (sum, max, min, a copy)
  std::optional<Span> whole_at;  // where it was first read whole (for the message)
  bool stand_in = false;    // the first run's copy of an input: reads go to `source`
  std::shared_ptr<ArrayData> source;
  Index source_prefix;
  std::string key;          // a local array's key for its extents across runs
};
using ArrayPtr = std::shared_ptr<ArrayData>;

// An array, or the sub-array W[i] of one.
struct Ref {
  ArrayPtr data;
  Index prefix;
  int rank() const { return data->rank < 0 ? -1 : data->rank - static_cast<int>(prefix.size()); }
};

struct Value {
  bool is_array = false;
  Scalar scalar;
  Ref ref;
};

struct Binding {
  enum Kind : std::uint8_t { kScalar, kArray, kLoop } kind = kScalar;
  Scalar scalar;  // kScalar, kLoop (static)
  Ref ref;        // kArray
  bool owned = true;  // kArray: this scope's own copy (else a caller's, copied before it is changed)
};

using Scope = std::map<std::string_view, Binding>;

std::string index_text(const Index& index) {
  std::string out;
  for (std::int64_t i : index) out += fmt::format("[{}]", i);
  return out;
}

// What the first run learnt, for the second.
struct Knowledge {
  std::map<std::string, Index> local_extents;  // by ArrayData::key
};

class Expander {
 public:
  Expander(const Ast& ast, std::string_view source, const ExpandOptions& options, bool first_run,
           Knowledge& knowledge, std::vector<ArrayShape>* shapes)
      : ast_(ast), source_(source), options_(options), first_(first_run), knowledge_(knowledge) {
    collect_functions();
    find_inputs(shapes);
  }

  Expansion run() {
    std::vector<const Statement*> top;
    for (const Statement& s : ast_.statements) {
      if (s.kind != StatementKind::kFunction) top.push_back(&s);
    }
    if (top.empty()) {
      throw Diagnostic(ast_.statements.front().span, "the program has only functions: add a statement that uses them");
    }
    for (const Statement* s : top) {
      last_top_ = s == top.back();
      statement(*s);
    }
    if (first_) finish_first_run();
    return outputs();
  }

  const std::vector<ArrayPtr>& inputs() const { return inputs_; }

 private:
  // ---------------------------------------------------------------------
  // Functions and inputs, found before anything runs.

  void collect_functions() {
    for (const Statement& s : ast_.statements) {
      if (s.kind != StatementKind::kFunction) continue;
      if (find_builtin(s.target) != nullptr || find_constant(s.target)) {
        throw Diagnostic(s.target_span, fmt::format("'{}' is a built-in {}: name the function otherwise",
                                                    s.target, find_constant(s.target) ? "constant" : "function"));
      }
      if (functions_.count(s.target) != 0) {
        throw Diagnostic(s.target_span, fmt::format("the function '{}' is declared twice", s.target));
      }
      for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (s.parameters[i] == s.parameters[j]) {
            throw Diagnostic(s.parameter_spans[i], fmt::format("the parameter '{}' is named twice", s.parameters[i]));
          }
        }
      }
      if (s.body.empty() || s.body.back().kind != StatementKind::kReturn) {
        throw Diagnostic(s.target_span, fmt::format("the function '{}' must end with return EXPR", s.target));
      }
      functions_[s.target] = &s;
    }
  }

  // Names read and assigned by the program outside its functions, in text order.
  void scan(const Statement& s, std::vector<std::pair<std::size_t, std::string_view>>& reads,
            std::set<std::string_view>& assigned) {
    switch (s.kind) {
      case StatementKind::kFunction: return;
      case StatementKind::kAssign:
      case StatementKind::kCompound: assigned.insert(s.target); break;
      // A `let` loop's variable is the loop's own: outside it the name may
      // be an input.
      case StatementKind::kFor:
        if (!s.scoped) assigned.insert(s.target);
        break;
      default: break;
    }
    for (const Expr* e : s.indices) scan(*e, reads);
    if (s.kind == StatementKind::kFor && s.scoped) {
      // Inside a `let` loop its variable is the loop's: those reads are
      // not reads of the name outside.
      scan(*s.value, reads);
      std::vector<std::pair<std::size_t, std::string_view>> inside;
      scan(*s.condition, inside);
      if (s.step != nullptr) scan(*s.step, inside);
      for (const Statement& b : s.body) scan(b, inside, assigned);
      for (const auto& read : inside) {
        if (read.second != s.target) reads.push_back(read);
      }
      return;
    }
    for (const Expr* e : {s.value, s.condition, s.step}) {
      if (e != nullptr) scan(*e, reads);
    }
    for (const Statement& b : s.body) scan(b, reads, assigned);
    for (const Statement& b : s.else_body) scan(b, reads, assigned);
  }
  void scan(const Expr& e, std::vector<std::pair<std::size_t, std::string_view>>& reads) {
    if (e.kind == ExprKind::kName) reads.emplace_back(e.span.begin, e.text);
    // How the text uses each name, for the rank of an input array: the
    // indices written after it (W[i][j]: 2), or at least 1 where it has a
    // .length or is summed whole; passed whole to a function, it is learnt
    // from the function's use of its parameter.
    if (e.kind == ExprKind::kIndex || e.kind == ExprKind::kLength) {
      const Expr* base = &e;
      int depth = e.kind == ExprKind::kLength ? 1 : 0;
      if (e.kind == ExprKind::kLength) base = e.operands[0];
      while (base->kind == ExprKind::kIndex) {
        ++depth;
        base = base->operands[0];
      }
      if (base->kind == ExprKind::kName) {
        int& r = rank_in_text_[base->text];
        r = std::max(r, depth);
      }
    }
    if (e.kind == ExprKind::kCall) {
      const bool user = functions_.count(e.text) != 0;
      for (const Expr* o : e.operands) {
        const Expr* base = o;
        while (user && base->kind == ExprKind::kIndex) base = base->operands[0];
        if (base->kind != ExprKind::kName) continue;
        if (user) passed_whole_.insert(base->text);  // W or W[i]: its rank is learnt from the function
        const bool reduction = e.text == "sum" || e.text == "max" || e.text == "min" || e.text == "Math.max" ||
                               e.text == "Math.min";
        if (!user && reduction && e.operands.size() == 1) {
          int& r = rank_in_text_[o->text];
          r = std::max(r, 1);
        }
      }
    }
    for (const Expr* o : e.operands) scan(*o, reads);
  }

  void find_inputs(std::vector<ArrayShape>* shapes) {
    std::vector<std::pair<std::size_t, std::string_view>> reads;
    std::set<std::string_view> assigned;
    for (const Statement& s : ast_.statements) scan(s, reads, assigned);
    for (const Statement& s : ast_.statements) {
      if (s.kind == StatementKind::kFunction && assigned.count(s.target) != 0) {
        throw Diagnostic(s.target_span, fmt::format("'{}' is both a function and a variable of the program", s.target));
      }
    }
    std::sort(reads.begin(), reads.end());
    std::vector<std::string_view> order;
    for (const auto& [offset, name] : reads) {
      if (assigned.count(name) || find_constant(name) || functions_.count(name) ||
          name.find('.') != std::string_view::npos || find_builtin(name) != nullptr ||
          std::find(order.begin(), order.end(), name) != order.end()) {
        continue;
      }
      order.push_back(name);
    }
    std::vector<ArrayShape> fixed = options_.inputs;
    if (!fixed.empty()) {
      for (std::string_view name : order) {
        const bool listed = std::any_of(fixed.begin(), fixed.end(), [&](const ArrayShape& a) { return a.name == name; });
        if (!listed) throw UsageError(fmt::format("--inputs does not list the input '{}'", name));
      }
      for (const ArrayShape& a : fixed) {
        if (assigned.count(a.name)) {
          throw UsageError(fmt::format("--inputs: '{}' is assigned by the program, not an input", a.name));
        }
      }
    } else {
      for (std::string_view name : order) fixed.push_back(ArrayShape{std::string(name), 0, {}});
    }
    // The first run's shapes (or --inputs's) fix the second's.
    for (std::size_t i = 0; i < fixed.size(); ++i) {
      auto data = std::make_shared<ArrayData>();
      data->name = fixed[i].name;
      data->input = true;
      const ArrayShape* known = shapes != nullptr ? &(*shapes)[i] : nullptr;
      if (known != nullptr) {
        data->rank = static_cast<int>(known->extents.size());
        for (std::size_t e : known->extents) data->extents.push_back(static_cast<std::int64_t>(e));
      } else {
        data->growing = true;
        const auto in_text = rank_in_text_.find(data->name);
        if (!fixed[i].extents.empty()) {
          data->rank = static_cast<int>(fixed[i].extents.size());
        } else if (passed_whole_.count(data->name) != 0) {
          data->rank = -1;  // learnt from how the functions it is passed to read it
        } else if (in_text != rank_in_text_.end() && in_text->second > 0) {
          data->rank = in_text->second;
        } else {
          data->rank = 0;
        }
        if (data->rank > 0) data->extents.assign(static_cast<std::size_t>(data->rank), 0);
      }
      inputs_.push_back(data);
      input_by_name_[data->name] = data;
    }
    if (shapes != nullptr) {
      std::size_t offset = 0;
      for (std::size_t i = 0; i < inputs_.size(); ++i) {
        const ArrayData& a = *inputs_[i];
        Index index(a.extents.size(), 0);
        const std::size_t count = (*shapes)[i].size();
        for (std::size_t k = 0; k < count; ++k) {
          const NodeId node = c_.graph.input(static_cast<std::int32_t>(offset + k));
          c_.inputs.push_back(node);
          std::vector<std::size_t> u(index.begin(), index.end());
          c_.input_names.push_back(element_name(a.name, u));
          inputs_[i]->elements[index] = Scalar{node, false, 0.0, false};
          for (std::size_t d = index.size(); d-- > 0;) {
            if (++index[d] < a.extents[d]) break;
            index[d] = 0;
          }
        }
        offset += count;
      }
    }
  }

  // After the first run: each input's extents, checked against --inputs.
  void finish_first_run() {
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      ArrayData& a = *inputs_[i];
      const ArrayShape* given = i < options_.inputs.size() ? &options_.inputs[i] : nullptr;
      if (a.rank < 0) a.rank = given != nullptr ? static_cast<int>(given->extents.size()) : 0;
      if (given != nullptr && !given->extents.empty()) {
        if (given->extents.size() != static_cast<std::size_t>(a.rank)) {
          throw UsageError(fmt::format("--inputs gives '{}' {} dimension{}; the program reads it with {}", a.name,
                                       given->extents.size(), given->extents.size() == 1 ? "" : "s", a.rank));
        }
        for (std::size_t d = 0; d < given->extents.size(); ++d) {
          if (a.extents[d] > static_cast<std::int64_t>(given->extents[d])) {
            throw UsageError(fmt::format("--inputs gives '{}' extent {} in dimension {}, but the program reads "
                                         "index {} there",
                                         a.name, given->extents[d], d + 1, a.extents[d] - 1));
          }
          a.extents[d] = static_cast<std::int64_t>(given->extents[d]);
        }
      }
      for (std::int64_t e : a.extents) {
        if (e == 0 && a.read_whole) {
          throw Diagnostic(a.whole_at.value_or(Span{}),
                           fmt::format("no index the program reads fixes the extent of the input array '{}' (it is "
                                       "read whole: by sum, max, min, .length or a copy): give it with --inputs "
                                       "{}[N] (or the build step's INPUTS)",
                                       a.name, a.name));
        }
      }
    }
  }

  // ---------------------------------------------------------------------
  // Statements.

  void count_statement(const Statement& s) {
    if (++statements_ > options_.max_statements) {
      throw Diagnostic(s.span, fmt::format("more than {} statements once loops and calls are expanded (the limit; "
                                           "raise it with --max-statements N)",
                                           options_.max_statements));
    }
  }

  // An array may not hold more elements than --max-statements: each is a
  // gate, or an entry of in[].
  void check_size(const ArrayData& a, Span where) const {
    long double n = 1;
    for (std::int64_t e : a.extents) n *= static_cast<long double>(e);
    if (n > static_cast<long double>(options_.max_statements)) {
      throw Diagnostic(where, fmt::format("'{}' would have more than {} elements (the limit; raise it with "
                                          "--max-statements N)",
                                          a.name, options_.max_statements));
    }
  }

  // Copying arrays (for an if on data, or g = h) is work too: counted, one
  // statement per 16 elements.
  void charge_copy(std::size_t elements, Span where) {
    copied_ += elements;
    if (copied_ / 16 > options_.max_statements) {
      throw Diagnostic(where, fmt::format("more than {} statements' worth of array copies once loops are expanded "
                                          "(the limit; raise it with --max-statements N)",
                                          options_.max_statements));
    }
  }

  void statements(const std::vector<Statement>& list) {
    for (const Statement& s : list) statement(s);
  }

  void statement(const Statement& s) {
    switch (s.kind) {
      case StatementKind::kExpression: {
        count_statement(s);
        const Value v = eval(*s.value);
        if (last_top_ && frames_.empty()) {
          output_value_ = v;
          output_name_ = {};
        }
        return;
      }
      case StatementKind::kAssign:
      case StatementKind::kCompound:
        count_statement(s);
        assign(s);
        return;
      case StatementKind::kBlock:
        statements(s.body);
        return;
      case StatementKind::kFor:
        loop(s);
        return;
      case StatementKind::kIf:
        branch(s);
        return;
      case StatementKind::kFunction:
        throw Diagnostic(s.target_span, "functions are declared at the top level, not inside a block, loop, if "
                                        "or function");
      case StatementKind::kReturn:
        throw Diagnostic(s.span, frames_.empty() ? "return is only allowed in a function"
                                                 : "return is only allowed as the last statement of a function");
    }
  }

  Scope& scope() { return frames_.empty() ? globals_ : frames_.back().scope; }

  // The output: the last assignment in the text of the last top-level
  // statement that ran (a branch skipped at compile time does not run).
  void note_assignment(const Statement& s) {
    if (!last_top_ || !frames_.empty()) return;
    if (!output_name_ || s.span.begin >= output_offset_) {
      output_name_ = s.target;
      output_offset_ = s.span.begin;
    }
  }

  void assign(const Statement& s) {
    Scope& sc = scope();
    const auto found = sc.find(s.target);
    if (found != sc.end() && found->second.kind == Binding::kLoop) {
      throw Diagnostic(s.target_span, fmt::format("the loop variable '{}' cannot be assigned in its loop", s.target));
    }
    if (s.indices.empty()) {
      Value v;
      if (s.kind == StatementKind::kCompound) {
        const Scalar old = read_scalar_variable(s.target, s.target_span);
        v.scalar = arithmetic(s.compound_op, old, number(*s.value), s.target_span);
      } else {
        v = eval(*s.value);
        if (!v.is_array && v.scalar.condition) {
          throw Diagnostic(s.value->where, "a condition cannot be assigned; write c ? 1 : 0 for its value");
        }
      }
      v = settle(v, *s.value);
      // A name is a number or an array of one rank throughout.
      const auto before = scope().find(s.target);
      if (before != scope().end() && before->second.kind != Binding::kLoop) {
        // (A parameter passed an input whose rank was not known then, and
        // that turned out to be a number, is a number.)
        const bool was_array = before->second.kind == Binding::kArray && before->second.ref.rank() != 0;
        if (was_array != v.is_array) {
          throw Diagnostic(s.target_span, fmt::format("'{}' is {}: it cannot become {}", s.target,
                                                      was_array ? "an array" : "a number",
                                                      was_array ? "a number" : "an array"));
        }
        if (was_array && before->second.ref.rank() >= 0 && v.ref.rank() >= 0 &&
            before->second.ref.rank() != v.ref.rank()) {
          throw Diagnostic(s.target_span, fmt::format("'{}' has {} dimensions: it cannot become an array of {}",
                                                      s.target, before->second.ref.rank(), v.ref.rank()));
        }
      }
      if (v.is_array) {
        Binding b;
        b.kind = Binding::kArray;
        if (v.ref.data->input) {
          // An input cannot change: the name refers to it, and copies it
          // only when an element is assigned (as a parameter does).
          b.ref = v.ref;
          b.owned = false;
        } else {
          b.ref = Ref{copy(v.ref, std::string(s.target)), {}};
        }
        scope()[s.target] = b;
      } else {
        name_gate(v.scalar.node, std::string(s.target));
        Binding b;
        b.scalar = v.scalar;
        sc[s.target] = b;
      }
      note_assignment(s);
      return;
    }
    // An element: h[i] = ..., h[i][j] += ...
    Index index;
    for (const Expr* e : s.indices) index.push_back(static_index(*e));
    ArrayPtr data;
    if (found == sc.end()) {
      data = std::make_shared<ArrayData>();
      data->name = std::string(s.target);
      data->rank = static_cast<int>(index.size());
      data->key = fmt::format("{}/{}", frames_.empty() ? "" : frames_.back().function->target, s.target);
      const auto known = knowledge_.local_extents.find(data->key);
      if (!first_ && known != knowledge_.local_extents.end()) {
        data->extents = known->second;
      } else {
        data->growing = true;
        data->extents.assign(index.size(), 0);
      }
      Binding b;
      b.kind = Binding::kArray;
      b.ref = Ref{data, {}};
      sc[s.target] = b;
    } else if (found->second.kind != Binding::kArray) {
      throw Diagnostic(s.target_span, fmt::format("'{}' is a number, not an array: it has no elements", s.target));
    } else {
      Binding& b = found->second;
      if (!b.owned) {  // a caller's array: the function changes its own copy
        b.ref = Ref{copy(b.ref, std::string(s.target)), {}};
        b.owned = true;
      }
      data = b.ref.data;
    }
    if (data->input) {
      throw Diagnostic(s.target_span, fmt::format("'{}' is an input array: its elements cannot be assigned", s.target));
    }
    if (data->stand_in && data->rank < 0) {  // the first run's copy of an input whose rank is not known yet
      data->rank = static_cast<int>(index.size());
      if (data->source->rank < 0) data->source->rank = static_cast<int>(data->source_prefix.size() + index.size());
    }
    if (data->growing && data->extents.size() < index.size()) data->extents.resize(index.size(), 0);
    if (index.size() != static_cast<std::size_t>(data->rank)) {
      throw Diagnostic(s.target_span, fmt::format("'{}' has {} dimension{}: an element needs {} ind{}", s.target,
                                                  data->rank, data->rank == 1 ? "" : "s", data->rank,
                                                  data->rank == 1 ? "ex" : "ices"));
    }
    for (std::size_t d = 0; d < index.size(); ++d) {
      if (data->growing) {
        data->extents[d] = std::max(data->extents[d], index[d] + 1);
        check_size(*data, s.indices[d]->span);
        Index& known = knowledge_.local_extents[data->key];
        known.resize(index.size(), 0);
        known[d] = std::max(known[d], index[d] + 1);
      } else if (index[d] >= data->extents[d]) {
        throw Diagnostic(s.indices[d]->span, fmt::format("index {} is out of range: {} has length {} there",
                                                         index[d], s.target, data->extents[d]));
      }
    }
    Scalar value;
    if (s.kind == StatementKind::kCompound) {
      const auto old = data->elements.find(index);
      if (old == data->elements.end()) {
        throw Diagnostic(s.target_span, fmt::format("`{}{}` is used before it is assigned", s.target, index_text(index)));
      }
      value = arithmetic(s.compound_op, old->second, number(*s.value), s.target_span);
    } else {
      value = number(*s.value);
    }
    // The element's name as the program writes it, h[2]: the C++ code
    // spells it h_2 (identifier_of), explain and dot show it as written.
    name_gate(value.node, std::string(s.target) + index_text(index));
    data->elements[index] = value;
    note_assignment(s);
  }

  void loop(const Statement& s) {
    const std::int64_t start = static_integer(*s.value, "the loop's start");
    const Expr& cond = *s.condition;
    const bool comparison = cond.kind == ExprKind::kBinary && cond.ops.front().op != Operator::kPow &&
                            cond.operands[0]->kind == ExprKind::kName && cond.operands[0]->text == s.target;
    if (!comparison) {
      throw Diagnostic(cond.span, fmt::format("the loop's condition must compare its variable with a static "
                                              "bound: {0} < S, {0} <= S, {0} > S or {0} >= S",
                                              s.target));
    }
    const Operator op = cond.ops.front().op;
    if (op == Operator::kEq || op == Operator::kNe) {
      throw Diagnostic(cond.ops.front().span, fmt::format("the loop's condition must be {0} < S, {0} <= S, "
                                                          "{0} > S or {0} >= S",
                                                          s.target));
    }
    if (s.update_name != s.target) {
      throw Diagnostic(s.update_span, fmt::format("the loop's update must change its variable '{}'", s.target));
    }
    std::int64_t step = 1;
    switch (s.update) {
      case LoopUpdate::kIncrement: step = 1; break;
      case LoopUpdate::kDecrement: step = -1; break;
      case LoopUpdate::kStepUp:
      case LoopUpdate::kStepDown: {
        step = static_integer(*s.step, "the loop's step");
        if (step <= 0) throw Diagnostic(s.step->span, fmt::format("the loop's step must be positive; got {}", step));
        if (s.update == LoopUpdate::kStepDown) step = -step;
        break;
      }
    }
    // The bound is read with the loop variable at its start (it may not
    // depend on it, but it may read outer loops' variables).
    Scope& sc = scope();
    const auto saved = sc.find(s.target);
    if (saved != sc.end() && saved->second.kind == Binding::kLoop) {
      throw Diagnostic(s.target_span, fmt::format("'{}' is the variable of a loop around this one: it cannot be "
                                                  "assigned in its body; name this loop's variable otherwise",
                                                  s.target));
    }
    const std::optional<Binding> before = saved == sc.end() ? std::nullopt : std::optional<Binding>(saved->second);
    const std::int64_t bound = static_integer(*cond.operands[1], "the loop's bound");
    const auto holds = [&](std::int64_t i) {
      switch (op) {
        case Operator::kLt: return i < bound;
        case Operator::kLe: return i <= bound;
        case Operator::kGt: return i > bound;
        default: return i >= bound;
      }
    };
    std::uint64_t trips = 0;
    if (holds(start)) {
      const bool up = op == Operator::kLt || op == Operator::kLe;
      if ((step > 0) != up) {
        throw Diagnostic(cond.span, fmt::format("this loop never ends: {} starts at {} and moves {} by {} while {} holds",
                                                s.target, start, step > 0 ? "up" : "down", std::llabs(step),
                                                std::string_view(source_.data() + cond.span.begin,
                                                                 cond.span.end - cond.span.begin)));
      }
      const std::int64_t last = op == Operator::kLt ? bound - 1 : op == Operator::kGt ? bound + 1 : bound;
      trips = static_cast<std::uint64_t>((step > 0 ? last - start : start - last) / std::llabs(step)) + 1;
    }
    // The iterations so far, and this loop's times the enclosing loops'
    // iterations still to come (as if each ran this loop as now): over the
    // limit, the program is refused before it runs on.
    long double projected = static_cast<long double>(trips);
    for (std::uint64_t r : remaining_) projected *= static_cast<long double>(r);
    if (projected + static_cast<long double>(iterations_) > static_cast<long double>(options_.max_iterations)) {
      throw Diagnostic(Span{s.span.begin, s.span.begin + 3},
                       fmt::format("this loop runs {} times{}, which makes more than {} iterations in all (the "
                                   "limit; raise it with --max-iterations N)",
                                   trips, remaining_.empty() ? "" : " in each iteration of the loops around it",
                                   options_.max_iterations));
    }
    iterations_ += trips;
    std::int64_t i = start;
    remaining_.push_back(trips);
    for (std::uint64_t k = 0; k < trips; ++k, i += step) {
      remaining_.back() = trips - k;
      Binding b;
      b.kind = Binding::kLoop;
      b.scalar = static_number(static_cast<double>(i));
      scope()[s.target] = b;
      const std::size_t before_body = statements_;
      statement(s.body.front());
      if (statements_ == before_body) count_statement(s);  // an iteration that runs nothing still counts
    }
    remaining_.pop_back();
    if (s.scoped) {
      if (before) {
        scope()[s.target] = *before;
      } else {
        scope().erase(s.target);
      }
    } else {
      Binding b;  // after the loop: the value that ended it, an ordinary static number
      b.scalar = static_number(static_cast<double>(i));
      scope()[s.target] = b;
    }
  }

  void branch(const Statement& s) {
    const Scalar c = condition(*s.condition);
    if (c.is_static) {
      if (c.value != 0) {
        statement(s.body.front());
      } else if (!s.else_body.empty()) {
        statement(s.else_body.front());
      }
      return;
    }
    // A data condition: both branches run, each on its own copy of the
    // names; after the if, each name either assigned is a select.
    const Scope before = deep_copy(scope(), s.span);
    statement(s.body.front());
    Scope then = std::move(scope());
    scope() = deep_copy(before, s.span);
    if (!s.else_body.empty()) statement(s.else_body.front());
    Scope otherwise = std::move(scope());
    Scope merged;
    std::set<std::string_view> names;
    for (const auto& [n, b] : then) names.insert(n);
    for (const auto& [n, b] : otherwise) names.insert(n);
    const NodeId cond = gate(c);
    for (std::string_view n : names) {
      const auto t = then.find(n);
      const auto o = otherwise.find(n);
      if (t == then.end() || o == otherwise.end()) continue;  // assigned in one branch only, unset before
      merged[n] = merge(cond, t->second, o->second, n, s);
    }
    scope() = std::move(merged);
  }

  Binding merge(NodeId cond, const Binding& t, const Binding& o, std::string_view name, const Statement& s) {
    if (t.kind != o.kind) {
      throw Diagnostic(s.span, fmt::format("'{}' is an array in one branch of this if and a number in the other", name));
    }
    if (t.kind == Binding::kLoop) return t;
    if (t.kind == Binding::kScalar) {
      Binding b = t;
      b.scalar = select(cond, t.scalar, o.scalar);
      if (b.scalar.node != t.scalar.node || b.scalar.node != o.scalar.node) name_gate(b.scalar.node, std::string(name));
      return b;
    }
    if (t.ref.data == o.ref.data) return t;  // untouched, or an input
    Binding b = t;
    auto data = std::make_shared<ArrayData>(*t.ref.data);
    const ArrayData& od = *o.ref.data;
    if (od.rank != data->rank) {
      throw Diagnostic(s.span, fmt::format("'{}' has another shape in each branch of this if", name));
    }
    if (od.extents != data->extents) {
      // The first run grows an array as it is assigned: a branch may have
      // reached further. Its extents are those of the whole program anyway.
      if (!data->growing && !od.growing) {
        throw Diagnostic(s.span, fmt::format("'{}' has another shape in each branch of this if", name));
      }
      for (std::size_t d = 0; d < data->extents.size() && d < od.extents.size(); ++d) {
        data->extents[d] = std::max(data->extents[d], od.extents[d]);
      }
    }
    std::map<Index, Scalar> elements;
    for (const auto& [index, value] : data->elements) {
      const auto other = od.elements.find(index);
      if (other == od.elements.end()) continue;
      elements[index] = select(cond, value, other->second);
    }
    data->elements = std::move(elements);
    b.ref = Ref{data, t.ref.prefix};
    return b;
  }

  Scalar select(NodeId cond, const Scalar& a, const Scalar& b) {
    if (a.node == b.node && a.is_static == b.is_static && a.value == b.value) return a;
    if (a.condition != b.condition) {
      throw Diagnostic(Span{}, "a name holds a condition in one branch and a number in the other");
    }
    Scalar out;
    out.condition = a.condition;
    out.node = c_.graph.select(cond, gate(a), gate(b));
    return out;
  }

  Scope deep_copy(const Scope& s, Span where) {
    Scope out = s;
    for (auto& [n, b] : out) {
      if (b.kind == Binding::kArray && b.owned && !b.ref.data->input) {
        charge_copy(b.ref.data->elements.size(), where);
        b.ref.data = std::make_shared<ArrayData>(*b.ref.data);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------
  // Expressions.

  Scalar static_number(double v) {
    Scalar s;
    s.is_static = true;
    s.value = v;  // its gate is made when a gate needs it (gate()): a loop of 10^8 makes none
    return s;
  }
  Scalar static_condition(bool v) {
    Scalar s;
    s.is_static = true;
    s.condition = true;
    s.value = v ? 1 : 0;
    return s;
  }
  // A gate for the value: a static number or condition gets one now.
  NodeId gate(const Scalar& s) {
    if (s.node != kNoNode) return s.node;
    if (!s.condition) return c_.graph.constant(s.value);
    const NodeId zero = c_.graph.constant(0);
    return c_.graph.make(s.value != 0 ? Op::kEq : Op::kNe, zero, zero);
  }

  std::int64_t static_integer(const Expr& e, const char* what) {
    const Scalar s = number(e);
    if (!s.is_static) {
      throw Diagnostic(e.where, fmt::format("{} must be static (known to the compiler): it cannot depend on an "
                                            "input or a function's parameter",
                                            what));
    }
    if (!std::isfinite(s.value) || s.value != std::trunc(s.value) || std::fabs(s.value) > 9.0e15) {
      throw Diagnostic(e.where, fmt::format("{} must be an integer; this is {}", what, s.value));
    }
    return static_cast<std::int64_t>(s.value);
  }

  std::int64_t static_index(const Expr& e) {
    const Scalar s = number(e);
    if (!s.is_static) {
      throw Diagnostic(e.span, "an index must not depend on an input (indices are static: numbers, loop variables, "
                               "constants; a function's scalar parameter is not one)");
    }
    if (!std::isfinite(s.value) || s.value != std::trunc(s.value)) {
      throw Diagnostic(e.span, fmt::format("an index must be an integer; this one is {}", s.value));
    }
    if (s.value < 0) throw Diagnostic(e.span, fmt::format("an index must not be negative; this one is {}", s.value));
    if (s.value > 9.0e15) throw Diagnostic(e.span, fmt::format("the index {} is out of range", s.value));
    return static_cast<std::int64_t>(s.value);
  }

  Scalar number(const Expr& e) {
    const Scalar s = scalar(eval(e), e);
    if (s.condition) {
      throw Diagnostic(e.where, "a condition cannot be used as a number; write c ? 1 : 0 for its value");
    }
    return s;
  }
  Scalar condition(const Expr& e) {
    const Scalar s = scalar(eval(e), e);
    if (!s.condition) {
      throw Diagnostic(e.where, "a number cannot be used as a condition; compare it, as in x != 0");
    }
    return s;
  }

  // An element read: the value of a scalar, or the element a full index
  // names (recording the read of an input's element).
  Scalar scalar(const Value& v, const Expr& e) { return scalar(v, e.span); }
  Scalar scalar(const Value& v, Span where) {
    if (!v.is_array) return v.scalar;
    ArrayData& a = *v.ref.data;
    if (a.input && a.rank < 0) a.rank = static_cast<int>(v.ref.prefix.size());
    if (static_cast<int>(v.ref.prefix.size()) != a.rank) {
      const int missing = a.rank - static_cast<int>(v.ref.prefix.size());
      if (v.ref.prefix.size() > static_cast<std::size_t>(a.rank)) {
        throw Diagnostic(where, fmt::format("'{}' has {} dimension{}: too many indices", a.name, a.rank,
                                             a.rank == 1 ? "" : "s"));
      }
      throw Diagnostic(where, fmt::format("'{}{}' is an array ({} more ind{} for a number); a function of an "
                                           "array, or arithmetic on arrays, is written as a loop",
                                           a.name, index_text(v.ref.prefix), missing, missing == 1 ? "ex" : "ices"));
    }
    return element(a, v.ref.prefix, where);
  }

  Scalar element(ArrayData& a, const Index& index, Span where) {
    if (a.stand_in) {
      const auto own = a.elements.find(index);
      if (own != a.elements.end()) return own->second;
      Index full = a.source_prefix;
      full.insert(full.end(), index.begin(), index.end());
      if (a.source->input && a.source->rank < 0) a.source->rank = static_cast<int>(full.size());
      return element(*a.source, full, where);
    }
    if (a.input && a.growing) {
      if (a.extents.size() < index.size()) a.extents.resize(index.size(), 0);
      for (std::size_t d = 0; d < index.size(); ++d) a.extents[d] = std::max(a.extents[d], index[d] + 1);
      check_size(a, where);
      auto& slot = a.elements[index];
      if (slot.node == kNoNode) slot.node = c_.graph.input(next_placeholder_++);
      return slot;
    }
    for (std::size_t d = 0; d < index.size(); ++d) {
      if (!a.growing && index[d] >= a.extents[d]) {
        throw Diagnostic(where, fmt::format("index {} is out of range: {} has length {} there", index[d], a.name,
                                            a.extents[d]));
      }
    }
    const auto it = a.elements.find(index);
    if (it == a.elements.end()) {
      throw Diagnostic(where, fmt::format("`{}{}` is used before it is assigned", a.name, index_text(index)));
    }
    return it->second;
  }

  // An input read whole in the first run: its extents must come from
  // indices read elsewhere, or from --inputs.
  static void whole(ArrayData& a, Span where) {
    a.read_whole = true;
    if (!a.whole_at) a.whole_at = where;
  }

  // Every element of an array (row-major), for sum, max, min and outputs.
  std::vector<std::pair<Index, Scalar>> elements(const Ref& r, Span where) {
    ArrayData& a = *r.data;
    std::vector<std::pair<Index, Scalar>> out;
    if ((a.input && a.growing) || a.stand_in) {
      whole(a, where);
      if (a.stand_in) whole(*a.source, where);
      if (a.rank < 0) a.rank = static_cast<int>(r.prefix.size()) + 1;
      // The first run does not know the extents yet: one stand-in value.
      out.emplace_back(Index{}, Scalar{c_.graph.input(next_placeholder_++), false, 0.0, false});
      return out;
    }
    const std::size_t first = r.prefix.size();
    const std::size_t dims = static_cast<std::size_t>(a.rank);
    std::size_t count = 1;
    for (std::size_t d = first; d < dims; ++d) count *= static_cast<std::size_t>(a.extents[d]);
    Index index = r.prefix;
    index.resize(dims, 0);
    for (std::size_t k = 0; k < count; ++k) {
      out.emplace_back(index, element(a, index, where));
      for (std::size_t d = dims; d-- > first;) {
        if (++index[d] < a.extents[d]) break;
        index[d] = 0;
      }
    }
    return out;
  }

  // A new array holding the elements of `r` (a copy: later changes to
  // either do not reach the other).
  ArrayPtr copy(const Ref& r, std::string name) {
    auto data = std::make_shared<ArrayData>();
    data->name = std::move(name);
    const ArrayData& from = *r.data;
    if (from.input && from.growing) {
      whole(*r.data, Span{});
      if (from.rank < 0) r.data->rank = static_cast<int>(r.prefix.size()) + 1;
      if (r.data->extents.size() < static_cast<std::size_t>(r.data->rank)) {
        r.data->extents.resize(static_cast<std::size_t>(r.data->rank), 0);
      }
    }
    data->rank = from.rank - static_cast<int>(r.prefix.size());
    data->extents.assign(from.extents.begin() + static_cast<std::ptrdiff_t>(r.prefix.size()), from.extents.end());
    if ((from.input && from.growing) || from.stand_in) {
      // The first run: elements read from the copy are reads of the input.
      data->growing = true;
      data->stand_in = true;
      data->source = from.stand_in ? from.source : r.data;
      data->source_prefix = from.stand_in ? from.source_prefix : Index{};
      data->source_prefix.insert(data->source_prefix.end(), r.prefix.begin(), r.prefix.end());
      for (const auto& [index, value] : from.elements) {  // what the copied copy assigned
        if (!std::equal(r.prefix.begin(), r.prefix.end(), index.begin())) continue;
        data->elements[Index(index.begin() + static_cast<std::ptrdiff_t>(r.prefix.size()), index.end())] = value;
      }
      return data;
    }
    for (const auto& [index, value] : from.elements) {
      if (!std::equal(r.prefix.begin(), r.prefix.end(), index.begin())) continue;
      data->elements[Index(index.begin() + static_cast<std::ptrdiff_t>(r.prefix.size()), index.end())] = value;
    }
    return data;
  }

  Value scalar_value(Scalar s) {
    Value v;
    v.scalar = s;
    return v;
  }

  Value eval(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kNumber: return scalar_value(static_number(e.number));
      case ExprKind::kName: return name(e);
      case ExprKind::kCall: return call(e);
      case ExprKind::kUnary: {
        const Operator op = e.ops.front().op;
        if (op == Operator::kNot) {
          const Scalar a = condition(*e.operands[0]);
          if (a.is_static) return scalar_value(static_condition(a.value == 0));
          Scalar out;
          out.condition = true;
          out.node = c_.graph.make(Op::kNot, gate(a));
          return scalar_value(out);
        }
        const Scalar a = number(*e.operands[0]);
        if (op == Operator::kPlus) return scalar_value(a);
        if (a.is_static) return scalar_value(static_number(-a.value));
        Scalar out;
        out.node = c_.graph.neg(gate(a));
        return scalar_value(out);
      }
      case ExprKind::kBinary: {
        const Operator op = e.ops.front().op;
        const Scalar a = number(*e.operands[0]);
        const Scalar b = number(*e.operands[1]);
        if (op == Operator::kPow) return scalar_value(arithmetic(op, a, b, e.where));
        if (a.is_static && b.is_static) {
          bool r = false;
          switch (op) {
            case Operator::kLt: r = a.value < b.value; break;
            case Operator::kLe: r = a.value <= b.value; break;
            case Operator::kGt: r = a.value > b.value; break;
            case Operator::kGe: r = a.value >= b.value; break;
            case Operator::kEq: r = a.value == b.value; break;
            default: r = a.value != b.value; break;
          }
          return scalar_value(static_condition(r));
        }
        static const std::map<Operator, Op> kComparisons{{Operator::kLt, Op::kLt}, {Operator::kLe, Op::kLe},
                                                        {Operator::kGt, Op::kGt}, {Operator::kGe, Op::kGe},
                                                        {Operator::kEq, Op::kEq}, {Operator::kNe, Op::kNe}};
        Scalar out;
        out.condition = true;
        out.node = c_.graph.make(kComparisons.at(op), gate(a), gate(b));
        return scalar_value(out);
      }
      case ExprKind::kChain: {
        const Operator first = e.ops.front().op;
        if (first == Operator::kAnd || first == Operator::kOr) return logical(e);
        Scalar acc = number(*e.operands[0]);
        for (std::size_t i = 1; i < e.operands.size(); ++i) {
          acc = arithmetic(e.ops[i - 1].op, acc, number(*e.operands[i]), e.ops[i - 1].span);
        }
        return scalar_value(acc);
      }
      case ExprKind::kConditional: {
        const Scalar c = condition(*e.operands[0]);
        if (c.is_static) return eval(*e.operands[c.value != 0 ? 1 : 2]);
        const Scalar a = number(*e.operands[1]);
        const Scalar b = number(*e.operands[2]);
        Scalar out;
        out.node = c_.graph.select(gate(c), gate(a), gate(b));
        return scalar_value(out);
      }
      case ExprKind::kIndex: return index_chain(e);
      case ExprKind::kLength: {
        const Value base = eval(*e.operands[0]);
        if (!base.is_array) throw Diagnostic(e.where, "only an array has a .length; this is a number");
        ArrayData& a = *base.ref.data;
        const std::size_t d = base.ref.prefix.size();
        if (a.rank >= 0 && d >= static_cast<std::size_t>(a.rank)) {
          throw Diagnostic(e.where, fmt::format("'{}{}' is a number: it has no .length", a.name,
                                                index_text(base.ref.prefix)));
        }
        if (a.input && a.rank < 0) a.rank = static_cast<int>(d) + 1;
        std::int64_t length = d < a.extents.size() ? a.extents[d] : 0;
        if (a.input && a.growing) {
          const ArrayShape* given = input_shape(a.name);
          if (given != nullptr && d < given->extents.size()) {
            length = static_cast<std::int64_t>(given->extents[d]);
          } else {
            whole(a, e.operands[0]->span);
          }
        }
        return scalar_value(static_number(static_cast<double>(length)));
      }
      case ExprKind::kArray: return literal(e);
    }
    return {};
  }

  // a[i][j]...: the base, then each index in turn, with its checks; a full
  // index gives the element (a number), fewer give a sub-array.
  Value index_chain(const Expr& e) {
    std::vector<const Expr*> chain;
    const Expr* base_expr = &e;
    while (base_expr->kind == ExprKind::kIndex) {
      chain.insert(chain.begin(), base_expr);
      base_expr = base_expr->operands[0];
    }
    Value v = eval(*base_expr);
    std::string too_many;  // the message for one index more than the array has
    for (const Expr* step : chain) {
      if (!v.is_array) {
        if (step == chain.front()) throw Diagnostic(base_expr->span, "only an array can be indexed; this is a number");
        throw Diagnostic(step->where, too_many);
      }
      const ArrayData& a = *v.ref.data;
      const std::size_t d = v.ref.prefix.size();
      const bool given = a.input && input_shape(a.name) != nullptr;
      too_many = fmt::format("'{}' has {} dimension{}{}: too many indices", a.name, a.rank, a.rank == 1 ? "" : "s",
                             given ? " (--inputs)" : "");
      if (a.rank >= 0 && d >= static_cast<std::size_t>(a.rank)) throw Diagnostic(step->where, too_many);
      const std::int64_t i = static_index(*step->operands[1]);
      if (!a.growing && d < a.extents.size() && i >= a.extents[d]) {
        throw Diagnostic(step->operands[1]->span, fmt::format("index {} is out of range: {} has length {}{}", i,
                                                              a.name, a.extents[d],
                                                              d == 0 ? "" : fmt::format(" in dimension {}", d + 1)));
      }
      v.ref.prefix.push_back(i);
      if (v.ref.rank() == 0) v = scalar_value(scalar(v, *step));  // an element: a number
    }
    return v;
  }

  const ArrayShape* input_shape(const std::string& name) const {
    for (const ArrayShape& s : options_.inputs) {
      if (s.name == name && !s.extents.empty()) return &s;
    }
    return nullptr;
  }

  // A value kept as a whole (assigned, returned, an element of a literal):
  // an element is a number, and so, in the first run, is a part W[i] of an
  // input whose rank no read has shown yet (the rank is then fixed by it).
  Value settle(const Value& v, const Expr& e) {
    if (!v.is_array) return v;
    const int rank = v.ref.rank();
    if (rank == 0 || (rank < 0 && !v.ref.prefix.empty())) return scalar_value(scalar(v, e));
    return v;
  }

  Value literal(const Expr& e) {
    auto data = std::make_shared<ArrayData>();
    data->name = "the array literal";
    std::vector<Value> items;
    for (const Expr* o : e.operands) items.push_back(settle(eval(*o), *o));
    const bool nested = !items.empty() && items.front().is_array;
    data->extents = {static_cast<std::int64_t>(items.size())};
    if (!nested) {
      data->rank = 1;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].is_array) {
          throw Diagnostic(e.operands[i]->span, "an array literal's elements are all numbers or all arrays of one shape");
        }
        const Scalar s = number(*e.operands[i]);
        data->elements[Index{static_cast<std::int64_t>(i)}] = s;
      }
    } else {
      ArrayPtr first = copy(items.front().ref, "row");
      data->rank = first->rank + 1;
      data->extents.insert(data->extents.end(), first->extents.begin(), first->extents.end());
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!items[i].is_array) {
          throw Diagnostic(e.operands[i]->span, "an array literal's elements are all numbers or all arrays of one shape");
        }
        ArrayPtr row = copy(items[i].ref, "row");
        if (row->extents != first->extents) {
          throw Diagnostic(e.operands[i]->span, "the rows of an array literal must all have the same shape");
        }
        for (const auto& [index, value] : row->elements) {
          Index full{static_cast<std::int64_t>(i)};
          full.insert(full.end(), index.begin(), index.end());
          data->elements[full] = value;
        }
      }
    }
    Value v;
    v.is_array = true;
    v.ref = Ref{data, {}};
    return v;
  }

  Value logical(const Expr& e) {
    const bool is_and = e.ops.front().op == Operator::kAnd;
    Scalar acc = condition(*e.operands[0]);
    for (std::size_t i = 1; i < e.operands.size(); ++i) {
      // A static operand decides without reading the rest (short circuit).
      if (acc.is_static && (acc.value != 0) != is_and) return scalar_value(acc);
      const Scalar next = condition(*e.operands[i]);
      if (acc.is_static) {
        acc = next;
      } else if (next.is_static) {
        if ((next.value != 0) != is_and) acc = next;
      } else {
        const NodeId node = c_.graph.make(is_and ? Op::kAnd : Op::kOr, gate(acc), gate(next));
        acc = Scalar{node, false, 0.0, true};
      }
    }
    return scalar_value(acc);
  }

  Scalar arithmetic(Operator op, const Scalar& a, const Scalar& b, Span where) {
    if (op == Operator::kMod) {
      if (!a.is_static || !b.is_static) {
        throw Diagnostic(where, "'%' takes static operands (loop variables and constants); for numbers that depend "
                                "on inputs use fmod(a, b)");
      }
      return static_number(std::fmod(a.value, b.value));
    }
    Op gate_op = Op::kAdd;
    switch (op) {
      case Operator::kAdd: gate_op = Op::kAdd; break;
      case Operator::kSub: gate_op = Op::kSub; break;
      case Operator::kMul: gate_op = Op::kMul; break;
      case Operator::kDiv: gate_op = Op::kDiv; break;
      default: gate_op = Op::kPow; break;
    }
    if (a.is_static && b.is_static) {
      const double args[2] = {a.value, b.value};
      return static_number(evaluate(gate_op, args));
    }
    // A static factor of 1 or -1 (labels[i] * score) is no gate: x * 1 and
    // x / 1 are x, x * -1 is -x, exactly.
    const auto unit = [](const Scalar& s) { return s.is_static && (s.value == 1 || s.value == -1); };
    if ((gate_op == Op::kMul && (unit(a) || unit(b))) || (gate_op == Op::kDiv && unit(b))) {
      const Scalar& factor = gate_op == Op::kMul && unit(a) ? a : b;
      const Scalar& other = &factor == &a ? b : a;
      if (factor.value == 1) return other;
      return Scalar{c_.graph.neg(gate(other)), false, 0.0, false};
    }
    Scalar out;
    out.node = c_.graph.make(gate_op, gate(a), gate(b));
    return out;
  }

  // The builtins whose value is static when their arguments are.
  static bool keeps_static(Op op) {
    switch (op) {
      case Op::kFloor: case Op::kCeil: case Op::kRound: case Op::kTrunc:
      case Op::kAbs: case Op::kMax: case Op::kMin:
        return true;
      default:
        return false;
    }
  }

  Value call(const Expr& e) {
    const std::string_view n = e.text;
    if (const auto f = functions_.find(n); f != functions_.end()) return call_function(*f->second, e);
    const Builtin& b = resolve_array_builtin(e);
    const Op op = b.op;
    // sum, max, min of one array.
    if (e.operands.size() == 1 && (op == Op::kMax || op == Op::kMin || b.name == "sum")) {
      const Value v = eval(*e.operands[0]);
      if (!v.is_array) {
        if (b.name == "sum") throw Diagnostic(e.operands[0]->span, "sum takes an array");
        resolve_builtin(e);  // max(x) of one number: the built-in's own message (2 or more arguments)
      }
      if (v.ref.rank() == 0) return scalar_value(scalar(v, *e.operands[0]));
      const auto all = elements(v.ref, e.span);
      if (all.empty()) {
        if (b.name == "sum") return scalar_value(static_number(0));
        throw Diagnostic(e.where, fmt::format("{} of an empty array", n));
      }
      Scalar acc = all.front().second;
      for (std::size_t i = 1; i < all.size(); ++i) {
        const Scalar& x = all[i].second;
        if (b.name == "sum") {
          acc = arithmetic(Operator::kAdd, acc, x, e.where);
        } else if (acc.is_static && x.is_static) {
          acc = static_number(op == Op::kMax ? std::max(acc.value, x.value) : std::min(acc.value, x.value));
        } else {
          acc = Scalar{c_.graph.make(op, gate(acc), gate(x)), false, 0.0, false};
        }
      }
      return scalar_value(acc);
    }
    if (b.name == "sum") throw Diagnostic(e.where, "sum takes one array: sum(h)");
    std::vector<Scalar> args;
    for (const Expr* a : e.operands) {
      const Value v = eval(*a);
      if (v.is_array && v.ref.rank() > 0) {
        throw Diagnostic(a->span, fmt::format("{} takes numbers{}; a function of an array is written as a loop",
                                              n, op == Op::kMax || op == Op::kMin ? " (or one array alone)" : ""));
      }
      const Scalar s = scalar(v, *a);
      if (s.condition) {
        throw Diagnostic(a->where, "a condition cannot be used as a number; write c ? 1 : 0 for its value");
      }
      args.push_back(s);
    }
    const bool all_static = std::all_of(args.begin(), args.end(), [](const Scalar& s) { return s.is_static; });
    if (all_static && keeps_static(op)) {
      double value = args[0].value;
      for (std::size_t i = 1; i < args.size(); ++i) {
        value = op == Op::kMax ? std::max(value, args[i].value) : op == Op::kMin ? std::min(value, args[i].value) : value;
      }
      if (op != Op::kMax && op != Op::kMin) value = evaluate(op, &args[0].value);
      return scalar_value(static_number(value));
    }
    Graph& g = c_.graph;
    NodeId node = kNoNode;
    if (op == Op::kMax || op == Op::kMin) {
      node = gate(args[0]);
      for (std::size_t i = 1; i < args.size(); ++i) node = g.make(op, node, gate(args[i]));
    } else if (op == Op::kHypot && args.size() == 3) {
      node = g.make(Op::kHypot3, gate(args[0]), gate(args[1]), gate(args[2]));
    } else if (args.size() == 1) {
      node = g.make(op, gate(args[0]));
    } else {
      node = g.make(op, gate(args[0]), gate(args[1]));
    }
    return scalar_value(Scalar{node, false, 0.0, false});
  }

  // resolve_builtin, with sum (of one array), max and min of one array,
  // and the program's functions among the names a typo may have meant.
  const Builtin& resolve_array_builtin(const Expr& e) {
    static const Builtin kSum{"sum", Op::kAdd, 1, 1};
    if (e.text == "sum") {
      if (e.operands.size() != 1) {
        throw Diagnostic(e.where, fmt::format("sum takes 1 argument (an array), but {} were given", e.operands.size()));
      }
      return kSum;
    }
    const std::string_view bare = e.text.substr(e.text.rfind('.') == std::string_view::npos ? 0 : e.text.rfind('.') + 1);
    const Builtin* b = find_builtin(bare);
    if (b != nullptr && (b->op == Op::kMax || b->op == Op::kMin) && e.operands.size() == 1) return *b;
    if (b == nullptr && !functions_.empty() && e.text.find('.') == std::string_view::npos) {
      std::vector<std::string_view> names;
      for (const auto& [name, f] : functions_) names.push_back(name);
      const std::string best = nearest_name(e.text, names);
      if (!best.empty()) throw Diagnostic(e.where, fmt::format("unknown function '{}'; did you mean '{}'?", e.text, best));
    }
    return resolve_builtin(e);
  }

  Value call_function(const Statement& f, const Expr& e) {
    if (e.operands.size() != f.parameters.size()) {
      throw Diagnostic(e.where, fmt::format("{} takes {} argument{}, but {} {} given", f.target, f.parameters.size(),
                                            f.parameters.size() == 1 ? "" : "s", e.operands.size(),
                                            e.operands.size() == 1 ? "was" : "were"));
    }
    for (const Frame& frame : frames_) {
      if (frame.function == &f) {
        throw Diagnostic(e.where, fmt::format("'{}' calls itself{}: recursion is not supported", f.target,
                                              frames_.back().function == &f ? "" : " (through other functions)"));
      }
    }
    // Calls nest as deep as functions call functions: bounded, so that a
    // chain of thousands of functions is an error, not a stack overflow.
    constexpr std::size_t kMaxCallDepth = 256;
    if (frames_.size() >= kMaxCallDepth) {
      throw Diagnostic(e.where, fmt::format("calls nested more than {} deep", kMaxCallDepth));
    }
    Frame frame;
    frame.function = &f;
    for (std::size_t i = 0; i < e.operands.size(); ++i) {
      const Value v = eval(*e.operands[i]);
      Binding b;
      if (v.is_array && v.ref.rank() != 0) {
        b.kind = Binding::kArray;
        b.ref = v.ref;
        b.owned = false;
      } else {
        b.scalar = scalar(v, *e.operands[i]);
        if (b.scalar.condition) {
          throw Diagnostic(e.operands[i]->where, "a condition cannot be passed to a function; pass c ? 1 : 0");
        }
        b.scalar.is_static = false;  // a function's scalar parameter is never static
      }
      frame.scope[f.parameters[i]] = b;
    }
    frames_.push_back(std::move(frame));
    Value result;
    try {
      for (std::size_t i = 0; i + 1 < f.body.size(); ++i) statement(f.body[i]);
      count_statement(f.body.back());
      result = eval(*f.body.back().value);
      result = settle(result, *f.body.back().value);
      if (result.is_array && !result.ref.data->input) {  // an input's part is returned as it is
        {
          const ArrayPtr data = copy(result.ref, fmt::format("the result of {}", f.target));
          result.ref = Ref{data, {}};
        }
      }
    } catch (const Diagnostic& d) {
      frames_.pop_back();
      const std::string message = d.what();
      if (message.find(" (in the call of") != std::string::npos) throw;
      const LineColumn at = line_column(source_, e.span.begin);
      throw Diagnostic(d.span(), fmt::format("{} (in the call of '{}' at line {}, column {})", message, f.target,
                                             at.line, at.column));
    }
    frames_.pop_back();
    return result;
  }

  Value name(const Expr& e) {
    const std::string_view n = e.text;
    const Scope& sc = scope();
    if (const auto b = sc.find(n); b != sc.end()) {
      Value v;
      if (b->second.kind == Binding::kArray) {
        v.is_array = true;
        v.ref = b->second.ref;
        if (v.ref.rank() == 0) return scalar_value(scalar(v, e));
      } else {
        v.scalar = b->second.scalar;
      }
      return v;
    }
    if (const auto c = find_constant(n)) return scalar_value(static_number(*c));
    if (functions_.count(n) != 0) {
      throw Diagnostic(e.span, fmt::format("`{}` is a function; call it as {}(...)", n, n));
    }
    check_plain_name(e);
    if (!frames_.empty()) {
      // A name the body assigns somewhere is read too early; any other is
      // the program's, which a function does not see.
      const Statement& f = *frames_.back().function;
      std::vector<std::pair<std::size_t, std::string_view>> reads;
      std::set<std::string_view> assigned;
      for (const Statement& b : f.body) scan(b, reads, assigned);
      if (assigned.count(n) != 0) throw Diagnostic(e.span, fmt::format("`{}` is used before it is assigned", n));
      throw Diagnostic(e.span, fmt::format("'{}' is not a parameter of '{}': pass it as an argument", n, f.target));
    }
    if (const auto in = input_by_name_.find(std::string(n)); in != input_by_name_.end()) {
      Value v;
      v.is_array = true;
      v.ref = Ref{in->second, {}};
      if (in->second->rank == 0) return scalar_value(scalar(v, e));
      return v;
    }
    throw Diagnostic(e.span, fmt::format("`{}` is used before it is assigned", n));
  }

  Scalar read_scalar_variable(std::string_view n, Span where) {
    const Scope& sc = scope();
    const auto b = sc.find(n);
    if (b == sc.end()) throw Diagnostic(where, fmt::format("`{}` is used before it is assigned", n));
    if (b->second.kind == Binding::kArray) {
      Value v;
      v.is_array = true;
      v.ref = b->second.ref;
      // A parameter passed an input whose rank no read had shown: a number.
      if (v.ref.rank() == 0 || (v.ref.rank() < 0 && v.ref.prefix.empty() && v.ref.data->input)) {
        return scalar(v, where);
      }
      throw Diagnostic(where, fmt::format("'{}' is an array: there is no arithmetic on arrays (write the loop)", n));
    }
    return b->second.scalar;
  }

  // The first name given to a gate stays; inputs and constants keep theirs.
  void name_gate(NodeId node, std::string user_name) {
    if (node == kNoNode) return;
    const Op op = c_.graph[node].op;
    if (op == Op::kInput || op == Op::kConst) return;
    if (c_.names.size() <= static_cast<std::size_t>(node)) c_.names.resize(static_cast<std::size_t>(node) + 1);
    int& version = versions_[user_name];
    UserName& slot = c_.names[static_cast<std::size_t>(node)];
    if (slot.version == 0) slot = UserName{std::move(user_name), ++version};
  }

  // ---------------------------------------------------------------------
  // Outputs.

  // The name a loop's text assigns last (for a loop that runs zero times,
  // whose assignments never ran); "" for none or another statement.
  static std::string_view last_assigned_in_text(const Statement& s) {
    if (s.kind != StatementKind::kFor) return {};
    std::string_view name;
    std::size_t at = 0;
    const std::function<void(const Statement&)> walk = [&](const Statement& t) {
      if ((t.kind == StatementKind::kAssign || t.kind == StatementKind::kCompound) && t.span.begin >= at) {
        name = t.target;
        at = t.span.begin;
      }
      for (const Statement& b : t.body) walk(b);
      for (const Statement& b : t.else_body) walk(b);
    };
    walk(s);
    return name;
  }

  const Statement& last_statement() const {
    for (auto s = ast_.statements.rbegin(); s != ast_.statements.rend(); ++s) {
      if (s->kind != StatementKind::kFunction) return *s;
    }
    return ast_.statements.back();
  }

  Expansion outputs() {
    Expansion x;
    std::vector<std::pair<std::string, Value>> chosen;
    const auto final_value = [&](const std::string& n, bool for_option) -> Value {
      const auto b = globals_.find(n);
      if (b == globals_.end() || b->second.kind == Binding::kLoop) {
        const std::string what = input_by_name_.count(n) ? "an input, not a variable the program assigns"
                                                          : "not assigned in the program";
        if (for_option) throw UsageError(fmt::format("--output: '{}' is {}", n, what));
        // The last statement assigned it, but it has no value after it: an
        // if on data assigned it in one branch only.
        throw Diagnostic(last_statement().span,
                         fmt::format("`{}` is used before it is assigned: this statement assigns it, the "
                                     "program's output, in one branch of an if on data only",
                                     n));
      }
      Value v;
      if (b->second.kind == Binding::kArray) {
        v.is_array = true;
        v.ref = b->second.ref;
      } else {
        v.scalar = b->second.scalar;
      }
      return v;
    };
    if (!options_.outputs.empty()) {
      for (const std::string& n : options_.outputs) {
        const std::size_t bracket = n.find('[');
        if (bracket == std::string::npos) {
          chosen.emplace_back(n, final_value(n, true));
          continue;
        }
        // One element of an array, h[2] (as NAME_outputs names it).
        Value v = final_value(n.substr(0, bracket), true);
        Index index;
        for (std::size_t at = bracket; at < n.size();) {
          const std::size_t close = n.find(']', at);
          const std::string digits = close == std::string::npos ? "" : n.substr(at + 1, close - at - 1);
          if (n[at] != '[' || digits.empty() || digits.size() > 9 ||
              digits.find_first_not_of("0123456789") != std::string::npos) {
            throw UsageError(fmt::format("--output: '{}' is not NAME or an element NAME[i]", n));
          }
          index.push_back(std::stoll(digits));
          at = close + 1;
        }
        if (!v.is_array || index.size() != static_cast<std::size_t>(v.ref.rank())) {
          throw UsageError(fmt::format("--output: '{}' is not an element of the program's arrays", n));
        }
        for (std::size_t d = 0; d < index.size(); ++d) {
          if (index[d] >= v.ref.data->extents[d]) {
            throw UsageError(fmt::format("--output: '{}' is out of range", n));
          }
        }
        const auto found = v.ref.data->elements.find(index);
        if (!first_ && found == v.ref.data->elements.end()) {
          throw UsageError(fmt::format("--output: '{}' is never assigned", n));
        }
        chosen.emplace_back(n, scalar_value(first_ ? static_number(0) : found->second));
      }
    } else if (output_name_) {
      chosen.emplace_back(std::string(*output_name_), final_value(std::string(*output_name_), false));
    } else if (output_value_) {
      chosen.emplace_back("", *output_value_);
    } else if (const std::string_view n = last_assigned_in_text(last_statement()); !n.empty()) {
      // A loop that ran zero times: the name its text assigns last.
      chosen.emplace_back(std::string(n), final_value(std::string(n), false));
    } else {
      throw Diagnostic(ast_.statements.back().span, "the program has no output: its last statement assigns nothing");
    }
    std::size_t offset = 0;
    for (auto& [n, v] : chosen) {
      ArrayShape shape{n, offset, {}};
      if (!v.is_array) {
        if (v.scalar.condition) {
          if (!options_.outputs.empty()) throw UsageError(fmt::format("--output: '{}' holds a condition, not a number", n));
          throw Diagnostic(ast_.statements.back().span, "the program's output is a condition; the output must be a number");
        }
        c_.outputs.push_back(gate(v.scalar));
        c_.output_names.push_back(n);
      } else {
        if (n.empty()) throw Diagnostic(ast_.statements.back().span, "an array output needs a name: assign it (y = ...)");
        const auto all =
            first_ ? std::vector<std::pair<Index, Scalar>>{} : elements(v.ref, ast_.statements.back().span);
        for (std::int64_t e : v.ref.data->extents) shape.extents.push_back(static_cast<std::size_t>(e));
        if (!first_ && all.size() != shape.size()) {
          throw Diagnostic(ast_.statements.back().span, fmt::format("not every element of the output '{}' is assigned", n));
        }
        for (const auto& [index, value] : all) {
          c_.outputs.push_back(gate(value));
          c_.output_names.push_back(element_name(n, std::vector<std::size_t>(index.begin(), index.end())));
        }
      }
      offset += shape.size();
      x.outputs.push_back(shape);
    }
    c_.output = kNoNode;
    for (NodeId o : c_.outputs) c_.output = std::max(c_.output, o);
    c_.output_named = !chosen.front().first.empty();
    // One output without --output: the header's single value (as v1).
    if (c_.outputs.size() == 1 && options_.outputs.empty()) c_.output_names.clear();
    x.circuit = std::move(c_);
    return x;
  }

  struct Frame {
    const Statement* function = nullptr;
    Scope scope;
  };

  const Ast& ast_;
  std::string_view source_;
  const ExpandOptions& options_;
  bool first_;
  Knowledge& knowledge_;
  Circuit c_;
  std::map<std::string_view, const Statement*> functions_;
  std::vector<ArrayPtr> inputs_;
  std::map<std::string, ArrayPtr> input_by_name_;
  std::map<std::string_view, int> rank_in_text_;  // see scan()
  std::set<std::string_view> passed_whole_;        // names passed whole to a function
  Scope globals_;
  // A deque: a call pushes a frame while a caller's statement holds a
  // reference into its own scope.
  std::deque<Frame> frames_;
  std::map<std::string, int> versions_;
  std::int32_t next_placeholder_ = 0;
  std::uint64_t iterations_ = 0;
  std::vector<std::uint64_t> remaining_;  // per enclosing loop: its iterations still to run, this one included
  std::size_t statements_ = 0;
  std::size_t copied_ = 0;  // array elements copied (charge_copy)
  bool last_top_ = false;
  std::optional<std::string_view> output_name_;
  std::size_t output_offset_ = 0;
  std::optional<Value> output_value_;
};

}  // namespace

std::string element_name(const std::string& array, const std::vector<std::size_t>& indices) {
  std::string out = array;
  for (std::size_t i : indices) out += fmt::format("[{}]", i);
  return out;
}

ArrayShape parse_input_spec(const std::string& spec) {
  ArrayShape shape;
  const std::size_t open = spec.find('[');
  shape.name = spec.substr(0, open);
  std::size_t at = open;
  while (at != std::string::npos && at < spec.size()) {
    const std::size_t close = spec.find(']', at);
    if (spec[at] != '[' || close == std::string::npos || close == at + 1) {
      throw UsageError(fmt::format("--inputs: '{}' is not NAME or NAME[N][M]...", spec));
    }
    const std::string digits = spec.substr(at + 1, close - at - 1);
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9 || std::stoul(digits) == 0) {
      throw UsageError(fmt::format("--inputs: '{}': an extent is a positive whole number", spec));
    }
    shape.extents.push_back(std::stoul(digits));
    at = close + 1;
  }
  return shape;
}

Expansion expand(const Ast& ast, std::string_view source, const ExpandOptions& options) {
  Knowledge knowledge;
  // The first run: the inputs' extents and the local arrays'.
  Expander first(ast, source, options, true, knowledge, nullptr);
  first.run();
  std::vector<ArrayShape> shapes;
  std::size_t offset = 0;
  for (const ArrayPtr& a : first.inputs()) {
    ArrayShape s{a->name, offset, {}};
    for (std::int64_t e : a->extents) s.extents.push_back(static_cast<std::size_t>(e));
    offset += s.size();
    shapes.push_back(s);
  }
  Expander second(ast, source, options, false, knowledge, &shapes);
  Expansion x = second.run();
  // An input array none of whose elements is read (only in a loop that
  // runs zero times, say) has no entries in in[]: it is left out.
  for (const ArrayShape& s : shapes) {
    if (s.size() > 0) x.inputs.push_back(s);
  }
  return x;
}

}  // namespace gradgen
