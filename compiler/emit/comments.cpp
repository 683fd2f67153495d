// The aligned comment column: each backward line names the forward line it
// differentiates (emitter.hpp).
#include "compiler/emit/emitter.hpp"

#include <algorithm>

namespace gradgen::emit_detail {

void Emitter::block(std::string& out, std::string_view comment, std::string_view text) {
  out += comment;
  out += "  {\n";
  append_indented(out, text);
  out += "  }\n";
}

std::string Emitter::abbreviated(std::string_view line) {
  constexpr std::size_t kMaxComment = 56;
  if (line.size() <= kMaxComment) return std::string(line);
  std::size_t cut = line.rfind(' ', kMaxComment - 4);
  if (cut == std::string_view::npos) cut = kMaxComment - 4;
  return std::string(line.substr(0, cut)) + " ...";
}

void Emitter::queue(std::string_view text, std::string_view comment) {
  pending_text_ += text;
  queued(pending_text_.size() - text.size(), comment);
}

void Emitter::queued(std::size_t begin, std::string_view comment) {
  pending_.push_back(Pending{begin, pending_text_.size() - begin, comment.size()});
  pending_text_ += comment;
}

void Emitter::aligned(std::string& out) {
  constexpr std::size_t kMaxColumn = 48;
  std::size_t width = 0;
  for (const Pending& p : pending_) {
    if (p.comment != 0 && p.text <= kMaxColumn) width = std::max(width, p.text);
  }
  const std::string_view all = pending_text_;
  for (const Pending& p : pending_) {
    out += "  ";
    out += all.substr(p.begin, p.text);
    if (p.comment != 0) {
      // Generated code is ASCII: its width is its length in bytes.
      if (p.text < width) out.append(width - p.text, ' ');
      out += "  // ";
      out += all.substr(p.begin + p.text, p.comment);
    }
    out += '\n';
  }
  pending_.clear();
  pending_text_.clear();
}

}  // namespace gradgen::emit_detail
