// Names in the generated C++. Every identifier of the language is a valid
// input name, including C++ keywords (`new`, `and`), macros of the standard
// headers (`NAN`, `EOF`, `M_PI`), globals (`signgam`), `std`, and names that
// look like the header's own (`f_grad`). The generated code keeps a user's
// name wherever C++ allows it and otherwise renames it visibly (`new` becomes
// `new_`); every generated name (temporaries, adjoints, parameters) is chosen
// so that it clashes with none of them.
#pragma once

#include <string>
#include <string_view>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "compiler/support/probe_table.hpp"

namespace gradgen {

// An input's name as a C++ identifier: an array's element `W[1][2]` is
// `W_1_2`; other names are unchanged.
std::string identifier_of(std::string_view name);

// True for names C++ code must not declare as a local variable: keywords and
// alternative tokens, macros of the standard headers, C globals, `std`,
// `gradgen`, names reserved to the implementation (`__x`, `_X`), and the
// header's own names (`function`, `function_grad`, `function_inputs`, ...).
bool is_reserved(std::string_view name, std::string_view function);

// True for the functions and variables the standard headers (the C library's
// included) declare at global scope: `exp`, `abs`, `time`, `stdout`, ... A
// header's function of such a name outside a namespace would replace or
// clash with it.
bool is_library_global(std::string_view name);

class NameTable {
 public:
  explicit NameTable(std::string function) : function_(std::move(function)) {}

  // Marks a name as used without claiming it (the user's own names).
  void reserve(std::string_view name) { take(name); }
  bool taken(std::string_view name) const { return contains(name) || is_reserved(name, function_); }
  // `wanted` if it is free, else the first free one of wanted_, wanted_2, ...
  // Never a reserved name; the result is marked as taken.
  std::string claim(std::string_view wanted);
  // The C++ name of a user's name: itself, unless C++ forbids it.
  std::string user(std::string_view name);

  // Scopes: the names taken after mark() are free again after
  // forget_since(mark). Marks nest: forgetting since an outer mark also
  // forgets the names taken after an inner one.
  std::size_t mark() const { return names_.size(); }
  void forget_since(std::size_t mark);

 private:
  // The names taken, in the order taken, as spans of text_, and a hash table
  // over them (probe_table.hpp). Names are forgotten last taken first, so
  // forgetting one just empties its slot (no later name's probe passed it),
  // and growing puts them back in the order taken to keep it so.
  struct Name {
    std::size_t begin;
    std::size_t size;
    std::size_t hash;
  };

  std::string_view text(const Name& n) const { return std::string_view(text_).substr(n.begin, n.size); }
  bool contains(std::string_view name) const;
  // The slot holding `name`, or the empty slot where it would go.
  std::size_t find(std::string_view name, std::size_t hash) const;
  void take(std::string_view name);
  // Takes `name` unless it is taken or reserved (one probe, not two); false
  // if it was not free.
  bool take_if_free(std::string_view name);
  // Adds `name` in `slot`, the empty slot find() gave for it.
  void insert(std::size_t slot, std::string_view name, std::size_t hash);
  // Grows the table when one more name would make it more than half full.
  void room_for_one();

  std::string function_;
  std::string text_;
  std::vector<Name> names_;
  ProbeTable table_;
};

}  // namespace gradgen
