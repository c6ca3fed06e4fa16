// json_doc.cpp: JSON i18n resource files (nlohmann ordered_json, so key order is kept). Every string
// value with words in it is one unit, its placeholders masked; keys, numbers, booleans, nulls and
// nesting are untouched. The output is re-serialized with the input's indentation (JSON formatting
// carries no data; a splice would need byte offsets that nlohmann does not report).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

using ordered_json = nlohmann::ordered_json;

class JsonDocument : public Document {
 public:
  JsonDocument(ordered_json j, int indent, bool final_newline)
      : Document(Format::kJson), root_(std::move(j)), indent_(indent), final_newline_(final_newline) {
    walk(root_, ordered_json::json_pointer(), "");
  }

  std::string render(const std::vector<std::string>& t) const override {
    HYMT_ASSERT(t.size() == units_.size());
    ordered_json out = root_;
    for (size_t i = 0; i < t.size(); ++i) out[paths_[i]] = unmask(i, t[i]);
    // 'replace' keeps a broken UTF-8 sequence in a translation from aborting the dump.
    std::string s = out.dump(indent_, ' ', false, nlohmann::json::error_handler_t::replace);
    if (final_newline_) s += '\n';
    return s;
  }

 private:
  void walk(const ordered_json& j, const ordered_json::json_pointer& ptr, const std::string& where) {
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it)
        walk(it.value(), ptr / it.key(), where.empty() ? it.key() : where + "." + it.key());
    } else if (j.is_array()) {
      for (size_t k = 0; k < j.size(); ++k) walk(j[k], ptr / k, where + "[" + std::to_string(k) + "]");
    } else if (j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      Unit u;
      u.text = mask_spans(s, find_placeholders(s), &u.masks);
      if (!has_words(u.text)) return;
      u.where = "key " + (where.empty() ? std::string("(root)") : where);
      u.isolated = true;
      units_.push_back(std::move(u));
      paths_.push_back(ptr);
    }
  }

  ordered_json root_;
  std::vector<ordered_json::json_pointer> paths_;
  int indent_;
  bool final_newline_;
};

}  // namespace

// The deepest nesting of arrays and objects in s (outside strings). nlohmann's parser is iterative,
// but destroying, walking and dumping the value recurse once per level: a file of 100 000 '['
// overflowed the stack (SIGSEGV).
size_t nesting_depth(const std::string& s) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
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
  ordered_json j;
  try {
    j = ordered_json::parse(s);
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond double's range (1e400): nlohmann refuses it while parsing.
    std::string what = e.what();
    const size_t p = what.find(']');
    return corrupt_file("invalid JSON: " + (p == std::string::npos ? what : what.substr(p + 2)));
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    const size_t at = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    const size_t p = what.find("parse error");
    return corrupt_file(line_of(s, at) + ": invalid JSON: " + (p == std::string::npos ? what : what.substr(p)));
  } catch (const nlohmann::json::exception& e) {
    return corrupt_file(std::string("invalid JSON: ") + e.what());
  }
  // Indentation: the leading spaces of the first indented line (-1 = compact when on one line).
  int indent = -1;
  for (const Line& l : split_lines(s)) {
    if (l.begin == 0) continue;
    size_t k = l.begin;
    while (k < l.end && s[k] == ' ') ++k;
    if (k < l.end && k > l.begin) {
      indent = static_cast<int>(k - l.begin);
      break;
    }
    if (k < l.end && s[k] == '\t') {
      indent = 4;
      break;
    }
    if (k < l.end) indent = 0;
  }
  const bool final_newline = !s.empty() && s.back() == '\n';
  return std::unique_ptr<Document>(new JsonDocument(std::move(j), indent, final_newline));
}

}  // namespace hymt::doc
