// Numbers distinct names 0, 1, 2, ... in the order they are first added, so
// that passes keep what they know about a name in vectors indexed by its
// number rather than in string-keyed hash maps (one lookup per occurrence of
// a name instead of one per map). The names are views: their text must
// outlive the index.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace gradgen {

class NameIndex {
 public:
  static constexpr std::int32_t kNone = -1;

  // The number of `name`, or kNone if it was never added.
  std::int32_t find(std::string_view name) const {
    if (slots_.empty()) return kNone;
    return slots_[slot(name, std::hash<std::string_view>{}(name))].id;
  }

  // The number of `name`, added as the next number if it is new.
  std::int32_t add(std::string_view name) {
    if (2 * (names_.size() + 1) > slots_.size()) grow();
    const std::size_t hash = std::hash<std::string_view>{}(name);
    Slot& s = slots_[slot(name, hash)];
    if (s.id == kNone) {
      s = Slot{static_cast<std::uint32_t>(hash), static_cast<std::int32_t>(names_.size())};
      names_.push_back(name);
    }
    return s.id;
  }

  std::size_t size() const { return names_.size(); }
  // The names in the order of their numbers.
  const std::vector<std::string_view>& names() const { return names_; }

 private:
  // Open addressing with linear probing, at most half full; a slot keeps its
  // name's hash so that a probe rarely compares text.
  struct Slot {
    std::uint32_t hash = 0;
    std::int32_t id = kNone;  // kNone: empty
  };

  // The slot holding `name`, or the empty slot where it would go.
  std::size_t slot(std::string_view name, std::size_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return i;
      if (s.hash == static_cast<std::uint32_t>(hash) && names_[static_cast<std::size_t>(s.id)] == name) return i;
    }
  }

  void grow() {
    std::vector<Slot> old(std::max<std::size_t>(64, slots_.size() * 2));
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kNone) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].id != kNone) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<std::string_view> names_;
  std::vector<Slot> slots_;
};

}  // namespace gradgen
