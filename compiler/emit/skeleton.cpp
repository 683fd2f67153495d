// One function's skeleton: the inputs it loads, its forward lines, its
// parameters, its stores and its return value (emitter.hpp).
#include "compiler/emit/emitter.hpp"

#include <algorithm>

namespace gradgen::emit_detail {

std::string Emitter::return_value() {
  std::string result = p_(circuit_.output);
  end_line(-1, false);
  return result;
}

void Emitter::begin_function(const Layout& l) {
  p_.use(l);
  p_.inputs_used.assign(circuit_.inputs.size(), 0);
  p_.seeds_used.assign(wrt_.size(), 0);
  p_.cotangents_used.assign(circuit_.outputs.size(), 0);
  std::fill(printed_.begin(), printed_.end(), 0);
  emitted_.assign(g_.size(), 0);
}

void Emitter::input_loads(std::string& out, const Layout* seeds, const std::string& direction) {
  std::size_t loads = 0;
  const auto load = [&](NodeId id, std::string_view name, const std::string& array, const std::string& i) {
    append(out, "  const {} {} = {}[{}];\n", p_.scalar(), name, array, i);
    end_line(id, true, true);
    ++loads;
  };
  for (std::size_t i = 0; i < circuit_.inputs.size(); ++i) {
    if (!p_.inputs_used[i]) continue;
    load(circuit_.inputs[i], planner_.forward().name[at(circuit_.inputs[i])], params_.in, index(i));
  }
  for (std::size_t j = 0; seeds != nullptr && j < tangents_.seeds.size(); ++j) {
    if (!p_.seeds_used[j]) continue;
    load(tangents_.seeds[j], seeds->name[at(tangents_.seeds[j])], direction, std::to_string(j));
  }
  if (recording_) facts_.move_last_to_front(loads);
}

std::string Emitter::index(std::size_t i) const {
  if (!batch_) return std::to_string(i);
  return fmt::format("{} * {} + {}", i, params_.count, params_.point);
}

std::string Emitter::param(const char* type, const std::string& name, bool used) const {
  const std::string spelled = fmt::format(type, p_.scalar());
  return used ? fmt::format("{} {}", spelled, name) : fmt::format("{} /*{}*/", spelled, name);
}

std::size_t Emitter::declaration(std::string& out, NodeId id, std::string_view name) {
  out += "const ";
  out += g_.type(id) == ValueType::kCondition ? "bool" : p_.scalar();
  out += ' ';
  const std::size_t named = out.size();
  out += name;
  out += " = ";
  p_.definition(out, id);
  out += ';';
  end_line(id, true);
  return named;
}

std::size_t Emitter::line(std::string& out, NodeId id, std::string_view name) {
  out += "  ";
  const std::size_t named = declaration(out, id, name);
  out += '\n';
  return named;
}

void Emitter::forward_lines(std::string& out) {
  const Layout& l = planner_.forward();
  forward_text_.resize(at(circuit_.output) + 1);
  for (NodeId id = 0; id <= circuit_.output; ++id) {
    if (!l.in_cone[at(id)] || !l.is_line[at(id)]) continue;
    const std::size_t named = line(out, id, l.name[at(id)]);
    // The line's `name = definition`, without the `;\n` after it.
    forward_text_[at(id)] = abbreviated(std::string_view(out).substr(named, out.size() - 2 - named));
  }
}

void Emitter::output_stores(std::string& out) {
  for (std::size_t k = 0; k < circuit_.outputs.size(); ++k) {
    append(out, "  {}[{}] = {};\n", params_.out, k, p_(circuit_.outputs[k]));
    end_store();
  }
}

}  // namespace gradgen::emit_detail
