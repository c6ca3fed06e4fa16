// json_doc.cpp: JSON i18n resource files. Every string value with words in it is one unit, its
// placeholders masked; keys, numbers, booleans, nulls, nesting and formatting are untouched: a small
// recursive-descent scanner checks the grammar (RFC 8259) and records where each string value lies,
// and rendering splices the translations (as JSON strings) into the original bytes. So numbers no
// double can hold (1e400, 12345678901234567890123) and spellings a re-serializer would change
// (0.10, 1E5, -0.0, "\u00e9" in an untranslated string) come out exactly as they went in.
#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

class JsonDocument : public Document {
 public:
  explicit JsonDocument(std::string src) : Document(Format::kJson), src_(std::move(src)) {}

  // Checks the whole text and collects the string values; an error names the line.
  Status parse() {
    if (src_.compare(0, 3, "\xEF\xBB\xBF") == 0) i_ = 3;  // a BOM left in by a caller: kept, not JSON
    skip_ws();
    HYMT_RETURN_IF_ERROR(value(""));
    skip_ws();
    if (i_ != src_.size()) return error("unexpected content after the JSON value");
    return {};
  }

  std::string render(const std::vector<std::string>& t) const override {
    HYMT_ASSERT(t.size() == units_.size());
    return splice(src_, edits_, [&](size_t u) {
      // 'replace' keeps a broken UTF-8 sequence in a translation from aborting the dump.
      return nlohmann::json(unmask(u, t[u])).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    });
  }

 private:
  Status error(const std::string& what) const { return error_at(i_, what); }
  Status error_at(size_t pos, const std::string& what) const {
    return corrupt_file(line_of(src_, std::min(pos, src_.size())) + ": invalid JSON: " + what);
  }
  char peek() const { return i_ < src_.size() ? src_[i_] : '\0'; }
  void skip_ws() {
    while (i_ < src_.size() && (src_[i_] == ' ' || src_[i_] == '\t' || src_[i_] == '\n' || src_[i_] == '\r')) ++i_;
  }
  std::string got() const {
    if (i_ >= src_.size()) return "the end of the file";
    return std::string("'") + src_[i_] + "'";
  }

  Status value(const std::string& where) {
    const char c = peek();
    if (c == '{') return object(where);
    if (c == '[') return array(where);
    if (c == '"') {
      const size_t b = i_;
      std::string v;
      HYMT_RETURN_IF_ERROR(string(&v));
      add_unit(b, i_, v, where);
      return {};
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    for (const char* w : {"true", "false", "null"})
      if (src_.compare(i_, std::strlen(w), w) == 0) {
        i_ += std::strlen(w);
        return {};
      }
    return error("expected a value, got " + got());
  }

  Status object(const std::string& where) {
    ++i_;  // '{'
    skip_ws();
    if (peek() == '}') {
      ++i_;
      return {};
    }
    for (;;) {
      if (peek() != '"') return error("expected a key string, got " + got());
      std::string key;
      HYMT_RETURN_IF_ERROR(string(&key));
      skip_ws();
      if (peek() != ':') return error("expected ':' after the key, got " + got());
      ++i_;
      skip_ws();
      HYMT_RETURN_IF_ERROR(value(where.empty() ? key : where + "." + key));
      skip_ws();
      if (peek() == ',') {
        ++i_;
        skip_ws();
        continue;
      }
      if (peek() == '}') {
        ++i_;
        return {};
      }
      return error("expected ',' or '}' in an object, got " + got());
    }
  }

  Status array(const std::string& where) {
    ++i_;  // '['
    skip_ws();
    if (peek() == ']') {
      ++i_;
      return {};
    }
    for (size_t k = 0;; ++k) {
      HYMT_RETURN_IF_ERROR(value(where + "[" + std::to_string(k) + "]"));
      skip_ws();
      if (peek() == ',') {
        ++i_;
        skip_ws();
        continue;
      }
      if (peek() == ']') {
        ++i_;
        return {};
      }
      return error("expected ',' or ']' in an array, got " + got());
    }
  }

  // RFC 8259 number grammar only: no conversion, so no range limit.
  Status number() {
    auto digits = [&] {
      const size_t b = i_;
      while (peek() >= '0' && peek() <= '9') ++i_;
      return i_ > b;
    };
    if (peek() == '-') ++i_;
    if (peek() == '0') {
      ++i_;
    } else if (!digits()) {
      return error("expected a digit in a number, got " + got());
    }
    if (peek() == '.') {
      ++i_;
      if (!digits()) return error("expected a digit after '.', got " + got());
    }
    if (peek() == 'e' || peek() == 'E') {
      ++i_;
      if (peek() == '+' || peek() == '-') ++i_;
      if (!digits()) return error("expected a digit in the exponent, got " + got());
    }
    return {};
  }

  // A string token: its extent by the grammar, its value by nlohmann (escapes, surrogate pairs,
  // UTF-8 validity).
  Status string(std::string* out) {
    const size_t b = i_++;
    for (;;) {
      if (i_ >= src_.size()) return error("unterminated string");
      const unsigned char c = static_cast<unsigned char>(src_[i_]);
      if (c == '"') break;
      if (c < 0x20) return error("control character in a string (write it as an escape such as \\n)");
      i_ += c == '\\' ? 2 : 1;
    }
    ++i_;
    try {
      *out = nlohmann::json::parse(src_.begin() + static_cast<std::ptrdiff_t>(b),
                                   src_.begin() + static_cast<std::ptrdiff_t>(i_))
                 .get<std::string>();
    } catch (const nlohmann::json::exception& e) {
      std::string what = e.what();
      const size_t p = what.find("invalid string");
      return error_at(b, p == std::string::npos ? "invalid string" : what.substr(p));
    }
    return {};
  }

  void add_unit(size_t b, size_t e, const std::string& s, const std::string& where) {
    Unit u;
    u.text = mask_spans(s, find_placeholders(s), &u.masks);
    if (!has_words(u.text)) return;
    u.where = "key " + (where.empty() ? std::string("(root)") : where);
    u.isolated = true;
    edits_.push_back({b, e, units_.size()});
    units_.push_back(std::move(u));
  }

  std::string src_;
  size_t i_ = 0;
  std::vector<Edit> edits_;
};

}  // namespace

// The deepest nesting of arrays and objects in s (outside strings): it bounds the scanner's
// recursion (a file of 100 000 '[' would overflow the stack).
size_t nesting_depth(const std::string& s) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

constexpr size_t kMaxJsonDepth = 512;

Result<std::unique_ptr<Document>> parse_json(const std::string& s) {
  if (nesting_depth(s) > kMaxJsonDepth)
    return corrupt_file("JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                        " levels: not an i18n resource file");
  auto d = std::make_unique<JsonDocument>(s);
  HYMT_RETURN_IF_ERROR(d->parse());
  return std::unique_ptr<Document>(std::move(d));
}

}  // namespace hymt::doc
