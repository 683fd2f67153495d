// The checking engine behind `gradgen check`: a loaded header's gradient,
// Jacobian and Hessian against numerical differences, its forward and reverse
// modes against each other, and its values against the reference evaluator;
// findings as text or JSON. cli_check.cpp is the command around it.
#pragma once

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/support/json.hpp"
#include "gradgen/check.hpp"
#include "runtime/loaded_gradient.hpp"

namespace gradgen::cli {

// A number as a message shows it: every digit, nan, inf.
std::string number(double v);

// "a=1.5,b=-2": a point as --at takes it, every digit kept.
std::string at_text(const std::vector<double>& x, const std::vector<std::string>& names);

// Where check's findings go: as text on standard output while it works,
// or, with --json, as one JSON object at the end. A table is one
// check::Report (a gradient, a row of a Jacobian or of a Hessian); a
// problem is a disagreement found beside the tables.
class Findings {
 public:
  Findings(bool json, std::vector<std::string> names) : json_(json), names_(std::move(names)) {}

  void table(const std::string& title, const check::Report& report) {
    if (!json_) {
      std::cout << title << report.table(names_);
      for (std::size_t p = 0; p < report.points.size(); ++p) {
        if (!report.points[p].ok()) {
          std::cout << fmt::format("  (to check point {} again: --at {})\n", p + 1,
                                   at_text(report.points[p].x, names_));
        }
      }
      return;
    }
    std::string points;
    for (const check::PointResult& point : report.points) {
      std::string entries;
      for (const check::InputResult& r : point.inputs) {
        entries += fmt::format(
            "{}{{\"input\": {}, \"analytic\": {}, \"numerical\": {}, \"relative_error\": {}, "
            "\"verdict\": \"{}\"{}}}",
            entries.empty() ? "" : ", ", json::string(check::detail::name_of(names_, r.input)),
            json::number(r.analytic), json::number(r.numerical), json::number(r.relative_error),
            r.ok ? "ok" : r.skipped ? "skipped" : "mismatch",
            r.note.empty() ? "" : ", \"note\": " + json::string(r.note));
      }
      points += fmt::format("{}{{\"at\": {}, \"value\": {}, \"ok\": {}, \"entries\": [{}]}}",
                            points.empty() ? "" : ", ", json_point(point.x), json::number(point.value),
                            point.ok() ? "true" : "false", entries);
    }
    // "== output y1 (row 1 of the Jacobian)\n" -> "output y1 (row 1 of the Jacobian)"
    std::string name = title.empty() ? "gradient" : title;
    while (!name.empty() && (name.back() == '\n' || name.back() == ':')) name.pop_back();
    if (name.rfind("== ", 0) == 0) name.erase(0, 3);
    tables_ += fmt::format("{}{{\"what\": {}, \"ok\": {}, \"points\": [{}]}}", tables_.empty() ? "" : ", ",
                           json::string(name), report.ok() ? "true" : "false", points);
  }

  void problem(const std::string& text) { say(problems_, text); }
  void note(const std::string& text) { say(notes_, text); }

  void summary(bool ok, const std::string& text, std::size_t checked, std::size_t points,
               std::size_t skipped) const {
    if (!json_) {
      std::cout << text;
      return;
    }
    std::cout << fmt::format(
        "{{\"ok\": {}, \"checked\": {}, \"points\": {}, \"skipped\": {}, \"tables\": [{}], "
        "\"problems\": [{}], \"notes\": [{}]}}\n",
        ok ? "true" : "false", checked, points, skipped, tables_, problems_, notes_);
  }

 private:
  std::string json_point(const std::vector<double>& x) const {
    std::string out;
    for (std::size_t i = 0; i < x.size(); ++i) {
      out += fmt::format("{}{}: {}", i ? ", " : "", json::string(check::detail::name_of(names_, i)),
                         json::number(x[i]));
    }
    return "{" + out + "}";
  }
  void say(std::string& list, const std::string& text) {
    if (!json_) {
      std::cout << text;
      return;
    }
    std::string line = text;
    while (!line.empty() && line.back() == '\n') line.pop_back();
    list += (list.empty() ? "" : ", ") + json::string(line);
  }

  bool json_;
  std::vector<std::string> names_;
  std::string tables_;
  std::string problems_;
  std::string notes_;
};

// Does a value and gradient the loaded code computed at x agree with the
// reference evaluator's? Returns the disagreements, one per line.
std::string against_reference(const Compilation& c, const std::vector<std::string>& wrt_names,
                              const std::vector<double>& x, double value,
                              const std::vector<double>& grad, std::size_t scalar_bytes);

struct HessianCheck {
  bool ok = true;
  std::size_t checked = 0;
  std::size_t skipped = 0;
};

// NAME_hessian: row i against differences of gradient entry i (the
// checker's central differences and Richardson extrapolation), exact
// symmetry, and its gradient against NAME_grad's.
HessianCheck check_hessian(const runtime::LoadedGradient& code, Findings& findings,
                           const std::vector<std::vector<double>>& points,
                           const std::vector<std::size_t>& wrt, const check::Tolerance& tolerance);

// NAME_jvp of a one-output header along a fixed direction against <grad, v>.
bool check_forward_mode(const runtime::LoadedGradient& code, Findings& findings,
                        const std::vector<std::vector<double>>& points);

struct JacobianCheck {
  bool ok = true;
  std::size_t checked = 0;
  std::size_t skipped = 0;
};

// A header with several outputs: each row of NAME_jacobian against
// differences of NAME(in, out) (and, given the program, against the
// reference evaluator on that output alone); NAME_jvp against J v,
// NAME_vjp against w^T J, and <J v, w> against <v, J^T w>.
JacobianCheck check_jacobian(const runtime::LoadedGradient& code, Findings& findings,
                             const std::optional<Compilation>& program, const Source& source,
                             const CompileOptions& options, const std::vector<std::vector<double>>& points,
                             const std::vector<std::size_t>& wrt, const check::Tolerance& tolerance);

}  // namespace gradgen::cli
