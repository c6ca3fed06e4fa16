// glossary.cpp: the three file formats (hand-written TSV/CSV readers, because
// they must report the line of every defect; JSON through nlohmann with the
// byte offset of a syntax error turned into a line) and the code-point term
// matcher.
#include "translate/glossary.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/file_util.h"
#include "translate/letter_case.h"

namespace hymt {

namespace {

// A letter or digit of a script that separates words with spaces (see
// glossary.h).
bool is_spaced_word_cp(uint32_t c) {
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  if (c >= 0xC0 && c <= 0x2AF) return c != 0xD7 && c != 0xF7;
  if (c >= 0x300 && c <= 0x52F) return true;  // combining marks, Greek, Cyrillic
  if (c >= 0x5D0 && c <= 0x5EA) return true;  // Hebrew letters
  if ((c >= 0x620 && c <= 0x64A) || (c >= 0x660 && c <= 0x669) || (c >= 0x671 && c <= 0x6D3)) return true;  // Arabic
  if (c >= 0x900 && c <= 0xD7F) return true;    // Devanagari .. Malayalam
  if (c >= 0x1E00 && c <= 0x1EFF) return true;  // Latin Extended Additional (Vietnamese)
  return false;
}

struct Cp {
  uint32_t cp;
  size_t byte;
};

std::vector<Cp> code_points(const std::string& s, bool fold) {
  std::vector<Cp> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const Utf8Char u = utf8_decode_one(reinterpret_cast<const uint8_t*>(s.data()) + i, s.size() - i);
    out.push_back({fold ? fold_case(u.cp, FoldScope::kBasicScripts) : u.cp, i});
    i += std::max<uint32_t>(u.len, 1);
  }
  return out;
}

bool has_upper(const std::string& s) {
  for (const Cp& c : code_points(s, false))
    if (fold_case(c.cp, FoldScope::kBasicScripts) != c.cp) return true;
  return false;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") + 1 - b);
}

std::string strip_bom(const std::string& s) { return s.rfind("\xEF\xBB\xBF", 0) == 0 ? s.substr(3) : s; }

bool is_header(const std::string& a, const std::string& b) {
  auto low = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return low(a) == "source" && low(b) == "target";
}

Status parse_tsv(Glossary* g, const std::string& text, const std::string& name) {
  size_t start = 0;
  int line_no = 0;
  bool first = true;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    const std::string where = name + ":" + std::to_string(line_no);
    std::vector<std::string> cols;
    size_t p = 0;
    while (true) {
      const size_t t = line.find('\t', p);
      cols.push_back(trim(line.substr(p, t == std::string::npos ? std::string::npos : t - p)));
      if (t == std::string::npos) break;
      p = t + 1;
    }
    if (cols.size() == 1)
      return corrupt_file(where + ": no tab: a TSV glossary line is source<TAB>target (got '" + line + "')");
    if (cols.size() != 2)
      return corrupt_file(where + ": expected 2 tab-separated columns (source, target), found " +
                          std::to_string(cols.size()));
    if (first && is_header(cols[0], cols[1])) {
      first = false;
      continue;
    }
    first = false;
    HYMT_RETURN_IF_ERROR(g->add(cols[0], cols[1], false, where));
  }
  return Status::ok_status();
}

// RFC 4180: fields separated by commas, optionally quoted with '"' ('""' inside
// quotes is one quote); a quoted field may hold commas and newlines. Errors
// carry the line the record starts on.
Status parse_csv(Glossary* g, const std::string& text, const std::string& name) {
  size_t i = 0;
  int line = 1;
  bool first = true;
  while (i < text.size()) {
    const int record_line = line;
    std::vector<std::string> fields;
    std::string field;
    bool any = false;  // the record has content (blank lines are skipped)
    for (;;) {
      if (i < text.size() && text[i] == '"') {
        any = true;
        ++i;
        for (;;) {
          if (i >= text.size())
            return corrupt_file(name + ":" + std::to_string(record_line) + ": a quoted field is never closed");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r'))
          return corrupt_file(name + ":" + std::to_string(line) + ": unexpected character after a closing quote");
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n') {
          if (text[i] == '"')
            return corrupt_file(name + ":" + std::to_string(line) +
                                ": a quote inside an unquoted field (quote the "
                                "whole field and double the quote)");
          field += text[i++];
        }
      }
      if (!trim(field).empty()) any = true;
      fields.push_back(trim(field));
      field.clear();
      if (i < text.size() && text[i] == ',') {
        any = true;
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') {
        ++i;
        ++line;
      }
      break;
    }
    if (!any) continue;
    const std::string where = name + ":" + std::to_string(record_line);
    if (fields.size() != 2)
      return corrupt_file(where + ": expected 2 comma-separated fields (source, target), found " +
                          std::to_string(fields.size()));
    if (first && is_header(fields[0], fields[1])) {
      first = false;
      continue;
    }
    first = false;
    HYMT_RETURN_IF_ERROR(g->add(fields[0], fields[1], false, where));
  }
  return Status::ok_status();
}

int line_of_byte(const std::string& text, size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(byte), '\n'));
}

Status parse_json(Glossary* g, const std::string& text, const std::string& name) {
  using nlohmann::json;
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    return corrupt_file(name + ":" + std::to_string(line_of_byte(text, e.byte == 0 ? 0 : e.byte - 1)) +
                        ": invalid JSON: " + e.what());
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (!v.is_string())
        return corrupt_file(name + ": the value of \"" + k +
                            "\" is not a string (a glossary object maps source to target)");
      HYMT_RETURN_IF_ERROR(g->add(trim(k), trim(v.get<std::string>()), false, name + ": \"" + k + "\""));
    }
    return Status::ok_status();
  }
  if (!j.is_array())
    return corrupt_file(name +
                        ": a JSON glossary is an object {\"source\": "
                        "\"target\"} or an array of "
                        "{\"source\": ..., \"target\": ...}");
  size_t n = 0;
  for (const json& e : j) {
    const std::string where = name + ": entry " + std::to_string(++n);
    if (!e.is_object() || !e.contains("source") || !e.contains("target") || !e["source"].is_string() ||
        !e["target"].is_string())
      return corrupt_file(where + ": expected {\"source\": \"...\", \"target\": \"...\"}, got " + e.dump());
    HYMT_RETURN_IF_ERROR(
        g->add(trim(e["source"].get<std::string>()), trim(e["target"].get<std::string>()), false, where));
  }
  return Status::ok_status();
}

GlossaryFormat sniff(const std::string& path, const std::string& text) {
  auto ends = [&](const char* ext) {
    std::string p = path;
    for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string e = ext;
    return p.size() >= e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".json")) return GlossaryFormat::kJson;
  if (ends(".csv")) return GlossaryFormat::kCsv;
  if (ends(".tsv") || ends(".tab") || ends(".txt")) return GlossaryFormat::kTsv;
  const size_t b = text.find_first_not_of(" \t\r\n");
  if (b != std::string::npos && (text[b] == '{' || text[b] == '[')) return GlossaryFormat::kJson;
  return text.find('\t') != std::string::npos ? GlossaryFormat::kTsv : GlossaryFormat::kCsv;
}

}  // namespace

Result<Glossary> Glossary::parse(const std::string& raw, GlossaryFormat format, const std::string& name) {
  const std::string text = strip_bom(raw);
  if (!utf8_valid(text)) return corrupt_file(name + ": not valid UTF-8 (save the glossary as UTF-8)");
  if (format == GlossaryFormat::kAuto) format = sniff(name, text);
  Glossary g;
  Status st = format == GlossaryFormat::kJson  ? parse_json(&g, text, name)
              : format == GlossaryFormat::kCsv ? parse_csv(&g, text, name)
                                               : parse_tsv(&g, text, name);
  if (!st.ok()) return st;
  if (g.empty()) return corrupt_file(name + ": the glossary has no entries");
  return g;
}

Result<Glossary> Glossary::load(const std::string& path, GlossaryFormat format) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  if (format == GlossaryFormat::kAuto) format = sniff(path, strip_bom(text.value()));
  return parse(text.value(), format, path);
}

Status Glossary::add(const std::string& source, const std::string& target, bool keep, const std::string& where) {
  if (source.empty()) return corrupt_file(where + ": empty source term");
  if (target.empty()) return corrupt_file(where + ": empty target term for '" + source + "'");
  for (const GlossaryEntry& e : entries_) {
    if (e.source != source) continue;
    if (e.target == target) return Status::ok_status();
    return corrupt_file(where + ": '" + source + "' -> '" + target + "' contradicts '" + e.target + "' from " +
                        e.where);
  }
  entries_.push_back({source, target, keep, where});
  return Status::ok_status();
}

Status Glossary::add_term_spec(const std::string& spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos) return invalid_argument("--term '" + spec + "': expected SOURCE=TARGET");
  const std::string s = trim(spec.substr(0, eq)), t = trim(spec.substr(eq + 1));
  if (s.empty() || t.empty())
    return invalid_argument("--term '" + spec + "': both SOURCE and TARGET must be non-empty");
  Status st = add(s, t, false, "--term");
  return st.ok() ? st : invalid_argument(st.message());
}

Status Glossary::add_keep(const std::string& term) {
  const std::string t = trim(term);
  if (t.empty()) return invalid_argument("--keep: empty term");
  Status st = add(t, t, true, "--keep");
  return st.ok() ? st : invalid_argument(st.message());
}

std::vector<std::pair<size_t, size_t>> find_term(const std::string& text, const std::string& term, bool fold_case) {
  std::vector<std::pair<size_t, size_t>> hits;
  const bool fold = fold_case || !has_upper(term);
  const std::vector<Cp> t = code_points(text, fold), k = code_points(term, fold);
  if (k.empty() || k.size() > t.size()) return hits;
  const bool word_start = is_spaced_word_cp(k.front().cp), word_end = is_spaced_word_cp(k.back().cp);
  for (size_t i = 0; i + k.size() <= t.size(); ++i) {
    bool eq = true;
    for (size_t j = 0; j < k.size() && eq; ++j) eq = t[i + j].cp == k[j].cp;
    if (!eq) continue;
    if (word_start && i > 0 && is_spaced_word_cp(t[i - 1].cp)) continue;
    const size_t after = i + k.size();
    if (word_end && after < t.size() && is_spaced_word_cp(t[after].cp)) continue;
    hits.emplace_back(t[i].byte, after < t.size() ? t[after].byte : text.size());
  }
  return hits;
}

bool target_term_present(const std::string& output, const std::string& term) {
  return !find_term(output, term, /*fold_case=*/true).empty();
}

std::vector<GlossaryEntry> Glossary::present_in(const std::string& text) const {
  // Longest terms claim their ranges first; a shorter term counts only with an
  // occurrence outside them.
  std::vector<size_t> order(entries_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return entries_[a].source.size() > entries_[b].source.size(); });
  std::vector<std::pair<size_t, size_t>> claimed;
  std::vector<bool> present(entries_.size(), false);
  for (size_t idx : order) {
    for (const auto& [b, e] : find_term(text, entries_[idx].source)) {
      bool inside = false;
      for (const auto& [cb, ce] : claimed) inside |= b >= cb && e <= ce;
      if (inside) continue;
      present[idx] = true;
      claimed.emplace_back(b, e);
    }
  }
  std::vector<GlossaryEntry> out;
  for (size_t i = 0; i < entries_.size(); ++i)
    if (present[i]) out.push_back(entries_[i]);
  return out;
}

}  // namespace hymt
