// Numbers distinct names 0, 1, 2, ... in the order they are first added, so
// that passes keep what they know about a name in vectors indexed by its
// number rather than in string-keyed hash maps (one lookup per occurrence of
// a name instead of one per map). The names are views: their text must
// outlive the index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "compiler/support/probe_table.hpp"

namespace gradgen {

class NameIndex {
 public:
  static constexpr std::int32_t kNone = -1;

  // The number of `name`, or kNone if it was never added.
  std::int32_t find(std::string_view name) const {
    if (table_.empty()) return kNone;
    const std::size_t slot = table_.find(std::hash<std::string_view>{}(name), Same{names_, name});
    return table_.empty(slot) ? kNone : static_cast<std::int32_t>(table_.entry(slot));
  }

  // The number of `name`, added as the next number if it is new.
  std::int32_t add(std::string_view name) {
    table_.room_for(names_.size() + 1);
    const std::size_t hash = std::hash<std::string_view>{}(name);
    const std::size_t slot = table_.find(hash, Same{names_, name});
    if (table_.empty(slot)) {
      table_.put(slot, hash, static_cast<std::uint32_t>(names_.size()));
      names_.push_back(name);
    }
    return static_cast<std::int32_t>(table_.entry(slot));
  }

  std::size_t size() const { return names_.size(); }
  // The names in the order of their numbers.
  const std::vector<std::string_view>& names() const { return names_; }

 private:
  struct Same {
    const std::vector<std::string_view>& names;
    std::string_view name;
    bool operator()(std::uint32_t id) const { return names[id] == name; }
  };

  std::vector<std::string_view> names_;
  ProbeTable table_;
};

}  // namespace gradgen
