// The compiler's large hash tables (hash-consing in ir.cpp, NameIndex in
// name_index.hpp, NameTable in names.cpp) share one scheme: open addressing
// with linear probing, kept at most half full. A slot holds an entry's
// number in its owner's own storage and the low 32 bits of its hash, so that
// a probe rarely looks at the entry itself and growing never hashes again.
// A header of 10^6 gates asks these tables tens of millions of times, so
// they are flat arrays rather than nodes and a string per entry.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gradgen {

class ProbeTable {
 public:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;

  // The slot of the entry with this hash that `same(number)` accepts, or the
  // empty slot where it would go. The table must have a slot (see
  // room_for()).
  template <class Same>
  std::size_t find(std::size_t hash, Same same) const {
    const std::size_t mask = slots_.size() - 1;
    const auto low = static_cast<std::uint32_t>(hash);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.entry == kEmpty) return i;
      if (s.hash == low && same(s.entry)) return i;
    }
  }

  bool empty() const { return slots_.empty(); }
  std::size_t slots() const { return slots_.size(); }
  bool empty(std::size_t slot) const { return slots_[slot].entry == kEmpty; }
  std::uint32_t entry(std::size_t slot) const { return slots_[slot].entry; }
  void put(std::size_t slot, std::size_t hash, std::uint32_t entry) {
    slots_[slot] = Slot{static_cast<std::uint32_t>(hash), entry};
  }
  // Empties a slot. Only for the entry put last of those still in the
  // table: no other entry's probe can have passed its slot then.
  void clear(std::size_t slot) { slots_[slot] = Slot{}; }

  // Grows, by doubling (at least 64 slots), when `entries` entries would make
  // the table more than half full; the entries already in are placed again
  // in slot order. Returns whether it grew.
  bool room_for(std::size_t entries) {
    if (2 * entries <= slots_.size()) return false;
    std::vector<Slot> old(std::max<std::size_t>(64, slots_.size() * 2));
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.entry == kEmpty) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].entry != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
    return true;
  }

  // Empties the table, with room for `entries` entries: for an owner that
  // puts its entries back in an order of its own.
  void reset(std::size_t entries) {
    std::size_t size = 64;
    while (2 * entries > size) size *= 2;
    slots_.assign(size, Slot{});
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t entry = kEmpty;
  };

  std::vector<Slot> slots_;
};

}  // namespace gradgen
