// The op table (compiler/ir/ops.cpp): one complete row per operation, in enum
// order, consistent with the language's function table. ops.cpp checks the
// order at compile time too; this says which row is wrong.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "compiler/ir/ops.hpp"

using gradgen::Op;

TEST_CASE("the op table has one complete row per operation, in enum order", "[ops]") {
  std::ifstream in(GRADGEN_SOURCE_DIR "/compiler/emitted_helpers.hpp");
  const std::string helpers((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(helpers.empty());
  std::set<std::string> names;
  for (int i = 0; i < gradgen::kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    const gradgen::OpInfo& row = gradgen::op_info(op);
    INFO("row " << i << " (" << row.name << ")");
    CHECK(static_cast<int>(row.op) == i);
    CHECK(names.insert(std::string(row.name)).second);
    CHECK_FALSE(row.words.empty());
    CHECK_FALSE(row.label.empty());
    CHECK((row.evaluate == nullptr) == gradgen::is_leaf(op));
    CHECK(row.arity >= 0);
    CHECK(row.arity <= 3);
    if (row.form == gradgen::CppForm::kCall || row.form == gradgen::CppForm::kInfix) CHECK_FALSE(row.cpp.empty());
    // A gradgen:: function is a helper whose block the header includes.
    CHECK(row.helper.empty() == (row.cpp.rfind("gradgen::", 0) != 0));
    if (!row.helper.empty()) CHECK(helpers.find("#endif  // " + std::string(row.helper) + "\n") != std::string::npos);
    if (row.result == gradgen::ValueType::kCondition) CHECK_FALSE(row.carries_gradient);
  }
}

TEST_CASE("every function of the language is an operation whose row takes its arguments", "[ops]") {
  for (const gradgen::Builtin& b : gradgen::builtins()) {
    INFO(b.name);
    const gradgen::OpInfo& row = gradgen::op_info(b.op);
    CHECK_FALSE(gradgen::is_leaf(b.op));
    CHECK(row.result == gradgen::ValueType::kNumber);
    CHECK(b.min_args >= 1);
    // max and min of many arguments, hypot of 3, become chains or hypot3.
    if (b.max_args == b.min_args) CHECK(row.arity == b.min_args);
    CHECK(gradgen::find_builtin(b.name) == &b);
  }
}

TEST_CASE("the table evaluates as C++ does", "[ops]") {
  const double two[3] = {2.0, 3.0, 0.0};
  CHECK(gradgen::evaluate(Op::kPow, two) == 8.0);
  CHECK(gradgen::evaluate(Op::kLt, two) == 1.0);
  CHECK(gradgen::evaluate(Op::kHypot, two) == std::hypot(2.0, 3.0));
  const double choose[3] = {0.0, 1.0, 2.0};
  CHECK(gradgen::evaluate(Op::kSelect, choose) == 2.0);
}
