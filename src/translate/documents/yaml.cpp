// yaml.cpp: YAML i18n resource files by a restricted line-based parser. Not yaml-cpp (Debian
// libyaml-cpp-dev) on purpose: its emitter drops comments, blank lines and quoting styles, and the
// i18n files translators edit (Rails, Symfony, Hugo, Flutter ARB-in-YAML) live on those; splicing
// translated scalars into the original lines keeps every key, comment and byte we do not translate.
// Supported: block mappings and sequences at any depth, plain / single-quoted / double-quoted
// scalars (multi-line too), literal and folded block scalars, comments, document markers. Kept
// verbatim, never translated: anchors, aliases, tags, flow collections, numbers (1e400, 0x1F),
// booleans, nulls.
// Anything else (tab indentation, a line that is neither "key: value" nor "- item", unterminated
// quotes) is refused with its line number. A translated scalar is written double-quoted (escaped),
// so no translation can change the structure.
#include <cstdint>

#include "core/utf8.h"
#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

size_t skip_sp(std::string_view s, size_t i) {
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

bool is_comment_or_blank(std::string_view l) {
  const size_t i = skip_sp(l, 0);
  return i == l.size() || l[i] == '#' || is_blank(l);
}

// Where a plain scalar on one line ends: before " #" (a comment) and trailing spaces.
size_t plain_end(std::string_view l, size_t from) {
  size_t e = l.size();
  for (size_t k = from; k < l.size(); ++k)
    if (l[k] == '#' && k > from && (l[k - 1] == ' ' || l[k - 1] == '\t')) {
      e = k;
      break;
    }
  while (e > from && (l[e - 1] == ' ' || l[e - 1] == '\t')) --e;
  return e;
}

// A YAML number (1.2 core schema and 1.1's spellings): 12, -0.0, 1E5, 1e400, .5, 0x1F, 0o17, 0b101,
// 1_000, .inf, -.Inf, .NaN. Kept as written: the letters in 1e400 or 0x1F are not words.
bool is_yaml_number(std::string_view v) {
  if (v == ".nan" || v == ".NaN" || v == ".NAN") return true;
  size_t i = 0;
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
  const std::string_view r = v.substr(i);
  if (r == ".inf" || r == ".Inf" || r == ".INF") return true;
  auto all_of = [](std::string_view d, const char* set) {
    return !d.empty() && d.find_first_not_of(set) == std::string_view::npos;
  };
  if (r.size() > 2 && r[0] == '0' && (r[1] == 'x' || r[1] == 'X'))
    return all_of(r.substr(2), "0123456789abcdefABCDEF_");
  if (r.size() > 2 && r[0] == '0' && (r[1] == 'o' || r[1] == 'O')) return all_of(r.substr(2), "01234567_");
  if (r.size() > 2 && r[0] == '0' && (r[1] == 'b' || r[1] == 'B')) return all_of(r.substr(2), "01_");
  // digits [. digits] [e [+-] digits], with at least one digit before the exponent.
  size_t k = 0, n_digits = 0;
  while (k < r.size() && ((r[k] >= '0' && r[k] <= '9') || (r[k] == '_' && k > 0))) n_digits += r[k++] != '_';
  if (k < r.size() && r[k] == '.')
    for (++k; k < r.size() && r[k] >= '0' && r[k] <= '9'; ++k) ++n_digits;
  if (n_digits == 0) return false;
  if (k < r.size() && (r[k] == 'e' || r[k] == 'E')) {
    ++k;
    if (k < r.size() && (r[k] == '+' || r[k] == '-')) ++k;
    const size_t e0 = k;
    while (k < r.size() && r[k] >= '0' && r[k] <= '9') ++k;
    if (k == e0) return false;
  }
  return k == r.size();
}

bool is_non_text_scalar(const std::string& v) {
  if (is_yaml_number(v)) return true;
  static const char* kWords[] = {"true",  "false", "yes", "no", "on",  "off", "null", "~",
                                 "True",  "False", "Yes", "No", "On",  "Off", "Null", "TRUE",
                                 "FALSE", "YES",   "NO",  "ON", "OFF", "NULL"};
  for (const char* w : kWords)
    if (v == w) return true;
  return false;
}

// YAML's printable set (spec 5.1): tab, LF, CR, 0x20-0x7E, U+0085, U+00A0-U+D7FF, U+E000-U+FFFD,
// U+10000 and up. Anything else must be escaped in a double-quoted scalar and cannot appear in a
// block scalar.
bool yaml_printable(uint32_t cp) {
  return cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
         (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

std::string quote_yaml(const std::string& s) {
  std::string r = "\"";
  size_t i = 0;
  while (i < s.size()) {
    const uint32_t cp = utf8_decode_lax(s, &i);
    if (cp == '"')
      r += "\\\"";
    else if (cp == '\\')
      r += "\\\\";
    else if (cp == '\n')
      r += "\\n";
    else if (cp == '\t')
      r += "\\t";
    else if (cp == '\r')
      r += "\\r";
    else if (!yaml_printable(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, cp > 0xFFFF ? "\\U%08X" : "\\u%04X", cp);
      r += buf;
    } else {
      utf8_append(r, cp);
    }
  }
  return r + "\"";
}

// Block scalars cannot escape: characters outside the printable set are dropped.
std::string printable_only(const std::string& s) {
  std::string r;
  size_t i = 0;
  while (i < s.size()) {
    const uint32_t cp = utf8_decode_lax(s, &i);
    if (yaml_printable(cp)) utf8_append(r, cp);
  }
  return r;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// YAML line folding inside quoted and plain scalars: a line break becomes a space (an empty line
// becomes "\n"), and the indentation of continuation lines is dropped.
std::string fold(std::string_view raw) {
  std::string r;
  const std::string s(raw);
  const std::vector<Line> lines = split_lines(s);
  int empties = 0;
  for (size_t k = 0; k < lines.size(); ++k) {
    std::string_view v = lines[k].text(s);
    size_t b = 0, e = v.size();
    if (k > 0) b = skip_sp(v, 0);
    if (k + 1 < lines.size())
      while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
    if (k > 0 && b == e && k + 1 < lines.size()) {
      ++empties;
      continue;
    }
    if (k > 0) r += empties ? std::string(empties, '\n') : " ";
    empties = 0;
    r += v.substr(b, e - b);
  }
  return r;
}

class YamlDocument : public Document {
 public:
  explicit YamlDocument(std::string src) : Document(Format::kYaml), src_(std::move(src)) {}

  Status parse() {
    lines_ = split_lines(src_);
    size_t i = 0;
    while (i < lines_.size()) {
      const std::string_view l = text(i);
      if (is_comment_or_blank(l) || l.substr(0, 3) == "---" || l.substr(0, 3) == "..." || l[0] == '%') {
        ++i;
        continue;
      }
      size_t pos = 0;
      while (pos < l.size() && (l[pos] == ' ' || l[pos] == '\t')) {
        if (l[pos] == '\t') return corrupt_file(where(i) + ": a tab in the indentation (YAML allows only spaces)");
        ++pos;
      }
      size_t column = pos;  // the column of the node this line opens
      bool item = false;
      while (pos < l.size() && l[pos] == '-' && (pos + 1 == l.size() || l[pos + 1] == ' ')) {
        item = true;
        pos = skip_sp(l, pos + 1);
        column = pos;
      }
      if (pos >= l.size() || l[pos] == '#') {
        ++i;
        continue;
      }
      size_t vpos = pos;
      std::string key;
      size_t colon = find_key_colon(l, pos);
      if (colon != std::string_view::npos) {
        key = std::string(l.substr(pos, colon - pos));
        vpos = skip_sp(l, colon + 1);
      } else if (!item) {
        return corrupt_file(where(i) + ": expected 'key: value' or '- item', found '" + std::string(l.substr(0, 60)) +
                            "'");
      }
      auto st = parse_value(&i, vpos, column, key.empty() ? "item" : key);
      if (!st.ok()) return st;
    }
    return {};
  }

  std::string render(const std::vector<std::string>& t) const override {
    HYMT_ASSERT(t.size() == units_.size());
    return splice(src_, edits_, [&](size_t i) {
      const Scalar& sc = scalars_[i];
      const std::string out = unmask(i, t[i]);
      if (out == sc.value) return sc.raw;
      if (!sc.block) return quote_yaml(out);
      // Block scalar: every translated line at the block's indentation.
      std::string r;
      const std::string pad(sc.block_indent, ' ');
      const std::string body = printable_only(sc.folded ? join_lines(out) : out);
      for (const Line& l : split_lines(body)) {
        if (!r.empty()) r += '\n';
        if (l.end > l.begin) r += pad + body.substr(l.begin, l.end - l.begin);
      }
      return r.empty() ? pad : r;
    });
  }

 private:
  struct Scalar {
    std::string value;  // decoded
    std::string raw;    // source bytes of the edit
    bool block = false, folded = false;
    size_t block_indent = 0;
  };

  std::string_view text(size_t k) const { return lines_[k].text(src_); }
  std::string where(size_t k) const { return "line " + std::to_string(k + 1); }

  // The ':' ending a mapping key that starts at pos (followed by a space or the end), or npos.
  static size_t find_key_colon(std::string_view l, size_t pos) {
    if (pos < l.size() && (l[pos] == '"' || l[pos] == '\'')) {
      const char q = l[pos];
      size_t k = pos + 1;
      while (k < l.size()) {
        if (q == '"' && l[k] == '\\')
          k += 2;
        else if (l[k] == q && q == '\'' && k + 1 < l.size() && l[k + 1] == '\'')
          k += 2;
        else if (l[k] == q)
          break;
        else
          ++k;
      }
      k = skip_sp(l, k + 1);
      return k < l.size() && l[k] == ':' && (k + 1 == l.size() || l[k + 1] == ' ') ? k : std::string_view::npos;
    }
    if (pos < l.size() && (l[pos] == '[' || l[pos] == '{' || l[pos] == '#')) return std::string_view::npos;
    for (size_t k = pos; k < l.size(); ++k) {
      if (l[k] == '#' && k > pos && l[k - 1] == ' ') return std::string_view::npos;
      if (l[k] == ':' && (k + 1 == l.size() || l[k + 1] == ' ' || l[k + 1] == '\t')) return k;
    }
    return std::string_view::npos;
  }

  // Continuation lines of a node opened at `column` on line i: more indented, or blank/comment.
  size_t continuation_end(size_t i, size_t column) const {
    size_t k = i + 1, last = i + 1;
    for (; k < lines_.size(); ++k) {
      const std::string_view l = text(k);
      if (is_blank(l)) continue;
      if (skip_sp(l, 0) <= column) break;
      last = k + 1;
    }
    return last;
  }

  Status parse_value(size_t* line, size_t vpos, size_t column, const std::string& key) {
    const size_t i = *line;
    const std::string_view l = text(i);
    const size_t base = lines_[i].begin;
    if (vpos >= l.size() || l[vpos] == '#') {  // nested node on the next lines
      *line = i + 1;
      return {};
    }
    const char c = l[vpos];
    if (c == '&' || c == '*' || c == '!' || c == '[' || c == '{') {  // kept verbatim
      *line = continuation_end(i, column);
      return {};
    }
    if (c == '|' || c == '>') return parse_block(line, column, key, c == '>');
    if (c == '"' || c == '\'') {
      // A quoted scalar, possibly over several lines.
      size_t k = base + vpos + 1;
      std::string decoded;
      for (; k < src_.size(); ++k) {
        if (c == '\'' && src_[k] == '\'') {
          if (k + 1 < src_.size() && src_[k + 1] == '\'') {
            decoded += '\'';
            ++k;
            continue;
          }
          break;
        }
        if (c == '"' && src_[k] == '"') break;
        if (c == '"' && src_[k] == '\\' && k + 1 < src_.size()) {
          auto st = unescape(&k, &decoded, i);
          if (!st.ok()) return st;
          continue;
        }
        if (src_[k] == '\n' || src_[k] == '\r') {
          // Line folding of a multi-line quoted scalar: the break becomes a space, each empty line
          // a "\n"; the indentation around the break is dropped.
          while (!decoded.empty() && (decoded.back() == ' ' || decoded.back() == '\t')) decoded.pop_back();
          int breaks = 0;
          while (k < src_.size() && (src_[k] == '\n' || src_[k] == '\r' || src_[k] == ' ' || src_[k] == '\t')) {
            breaks += src_[k] == '\n' || (src_[k] == '\r' && (k + 1 >= src_.size() || src_[k + 1] != '\n'));
            ++k;
          }
          decoded += breaks > 1 ? std::string(static_cast<size_t>(breaks - 1), '\n') : " ";
          --k;
          continue;
        }
        decoded += src_[k];
      }
      if (k >= src_.size())
        return corrupt_file(where(i) + ": unterminated " + (c == '"' ? "double" : "single") + "-quoted string");
      const size_t end = k + 1;
      add_scalar(base + vpos, end, decoded, key, i);
      size_t next = i + 1;
      while (next < lines_.size() && lines_[next].begin < end) ++next;
      *line = next;
      return {};
    }
    // Plain scalar, with more-indented continuation lines folded in.
    size_t e = base + plain_end(l, vpos);
    size_t next = i + 1;
    for (; next < lines_.size(); ++next) {
      const std::string_view lk = text(next);
      if (is_blank(lk)) continue;
      const size_t ind = skip_sp(lk, 0);
      if (ind <= column || lk[ind] == '#') break;
      e = lines_[next].begin + plain_end(lk, ind);
    }
    std::string raw = src_.substr(base + vpos, e - base - vpos);
    add_scalar(base + vpos, e, fold(raw), key, i);
    // Skip the lines consumed (trailing blank lines are not part of the scalar).
    while (next > i + 1 && is_blank(text(next - 1))) --next;
    *line = next;
    return {};
  }

  Status unescape(size_t* k, std::string* out, size_t line) const {
    const char e = src_[*k + 1];
    *k += 2;
    int hex = 0;
    switch (e) {
      case 'n':
        *out += '\n';
        break;
      case 't':
      case '\t':
        *out += '\t';
        break;
      case 'r':
        *out += '\r';
        break;
      case '0':
        *out += '\0';
        break;
      case 'a':
        *out += '\a';
        break;
      case 'b':
        *out += '\b';
        break;
      case 'e':
        *out += '\x1b';
        break;
      case 'f':
        *out += '\f';
        break;
      case 'v':
        *out += '\v';
        break;
      case ' ':
      case '"':
      case '/':
      case '\\':
        *out += e;
        break;
      case 'N':
        utf8_append(*out, 0x85);
        break;
      case '_':
        utf8_append(*out, 0xA0);
        break;
      case 'x':
        hex = 2;
        break;
      case 'u':
        hex = 4;
        break;
      case 'U':
        hex = 8;
        break;
      case '\n':
      case '\r':  // escaped line break: joined without a space
        while (*k < src_.size() && (src_[*k] == ' ' || src_[*k] == '\n' || src_[*k] == '\r')) ++*k;
        break;
      default:
        return corrupt_file(where(line) + ": unknown escape '\\" + std::string(1, e) + "'");
    }
    if (hex) {
      uint32_t cp = 0;
      for (int q = 0; q < hex; ++q) {
        const int v = *k < src_.size() ? hex_value(src_[*k]) : -1;
        if (v < 0) return corrupt_file(where(line) + ": bad \\" + std::string(1, e) + " escape");
        cp = cp * 16 + static_cast<uint32_t>(v);
        ++*k;
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return corrupt_file(where(line) + ": escape out of range");
      utf8_append(*out, cp);
    }
    --*k;  // the loop's ++k
    return {};
  }

  Status parse_block(size_t* line, size_t column, const std::string& key, bool folded) {
    const size_t i = *line;
    size_t first = i + 1;
    while (first < lines_.size() && is_blank(text(first))) ++first;
    if (first >= lines_.size() || skip_sp(text(first), 0) <= column) {  // empty block scalar
      *line = first;
      return {};
    }
    const size_t indent = skip_sp(text(first), 0);
    size_t last = first;
    for (size_t k = first; k < lines_.size(); ++k) {
      const std::string_view lk = text(k);
      if (is_blank(lk)) continue;
      if (skip_sp(lk, 0) < indent) break;
      last = k;
    }
    std::string value;
    for (size_t k = first; k <= last; ++k) {
      const std::string_view lk = text(k);
      if (k > first) value += '\n';
      if (lk.size() > indent) value += lk.substr(indent);
    }
    if (folded) value = fold(value);
    const size_t b = lines_[first].begin, e = lines_[last].end;
    Scalar sc;
    sc.block = true;
    sc.folded = folded;
    sc.block_indent = indent;
    add_scalar(b, e, value, key, first, &sc);
    *line = last + 1;
    return {};
  }

  void add_scalar(size_t b, size_t e, const std::string& value, const std::string& key, size_t line,
                  Scalar* proto = nullptr) {
    if (is_non_text_scalar(value)) return;
    Unit u;
    u.text = mask_spans(value, find_placeholders(value), &u.masks);
    if (!has_words(u.text)) return;
    u.where = where(line) + " (" + key + ")";
    u.isolated = true;
    Scalar sc = proto ? *proto : Scalar();
    sc.value = value;
    sc.raw = src_.substr(b, e - b);
    scalars_.push_back(std::move(sc));
    edits_.push_back({b, e, units_.size()});
    units_.push_back(std::move(u));
  }

  std::string src_;
  std::vector<Line> lines_;
  std::vector<Scalar> scalars_;
  std::vector<Edit> edits_;
};

}  // namespace

Result<std::unique_ptr<Document>> parse_yaml(const std::string& s) {
  auto d = std::make_unique<YamlDocument>(s);
  Status st = d->parse();
  if (!st.ok()) return st;
  return std::unique_ptr<Document>(std::move(d));
}

}  // namespace hymt::doc
