// text.cpp: plain text. Every non-blank line is one unit (its leading and trailing whitespace kept
// outside), so the output has exactly the input's line structure, blank lines and line endings;
// the driver splits long lines into sentences packed by token budget.
#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

class TextDocument : public Document {
 public:
  explicit TextDocument(std::string src) : Document(Format::kText), src_(std::move(src)) {
    for (const Line& l : split_lines(src_)) {
      size_t b = l.begin, e = l.end;
      trim_range(src_, &b, &e);
      if (b == e) continue;
      Unit u;
      u.text = src_.substr(b, e - b);
      u.where = line_of(src_, b);
      u.splittable = true;
      u.single_line = true;
      edits_.push_back({b, e, units_.size()});
      units_.push_back(std::move(u));
    }
  }
  std::string render(const std::vector<std::string>& t) const override {
    HYMT_ASSERT(t.size() == units_.size());
    return splice(src_, edits_, [&](size_t i) { return join_lines(unmask(i, t[i])); });
  }

 private:
  std::string src_;
  std::vector<Edit> edits_;
};

}  // namespace

Result<std::unique_ptr<Document>> parse_text(const std::string& s) {
  return std::unique_ptr<Document>(new TextDocument(s));
}

}  // namespace hymt::doc
