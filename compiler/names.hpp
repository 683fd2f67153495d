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
#include <unordered_set>
#include <vector>

namespace gradgen {

// True for names C++ code must not declare as a local variable: keywords and
// alternative tokens, macros of the standard headers, C globals, `std`,
// `gradgen`, names reserved to the implementation (`__x`, `_X`), and the
// header's own names (`function`, `function_grad`, `function_inputs`, ...).
bool is_reserved(std::string_view name, std::string_view function);

class NameTable {
 public:
  explicit NameTable(std::string function) : function_(std::move(function)) {}

  // Marks a name as used without claiming it (the user's own names).
  void reserve(std::string name) { take(std::move(name)); }
  bool taken(const std::string& name) const {
    return taken_.count(name) != 0 || is_reserved(name, function_);
  }
  // `wanted` if it is free, else the first free one of wanted_, wanted_2, ...
  // Never a reserved name; the result is marked as taken.
  std::string claim(std::string_view wanted);
  // The C++ name of a user's name: itself, unless C++ forbids it.
  std::string user(std::string_view name);

  // Scopes: the names taken after mark() are free again after
  // forget_since(mark). Marks nest: forgetting since an outer mark also
  // forgets the names taken after an inner one.
  std::size_t mark() const { return order_.size(); }
  void forget_since(std::size_t mark);

 private:
  void take(std::string name);

  std::string function_;
  std::unordered_set<std::string> taken_;
  std::vector<const std::string*> order_;  // the names in taken_, in the order taken
};

}  // namespace gradgen
