// text_util.cpp: splicing, trimming, line scanning and placeholder masking for the document formats.
#include "translate/documents/text_util.h"

#include <set>

namespace hymt::doc {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// End of a balanced {...} group starting at s[i] == '{' (one past the closing brace), or npos.
size_t brace_group_end(std::string_view s, size_t i) {
  int depth = 0;
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] == '{') ++depth;
    if (s[k] == '}' && --depth == 0) return k + 1;
    if (s[k] == '\n') return std::string_view::npos;
  }
  return std::string_view::npos;
}

// printf conversion at s[i] == '%': %[n$][flags][width][.prec][length]conv. The space flag is
// left out on purpose: "50 % off" is prose, not a conversion.
size_t printf_end(std::string_view s, size_t i) {
  size_t k = i + 1;
  if (k < s.size() && s[k] == '%') return k + 1;
  size_t d = k;
  while (d < s.size() && s[d] >= '0' && s[d] <= '9') ++d;
  if (d > k && d < s.size() && s[d] == '$') k = d + 1;
  while (k < s.size() && (s[k] == '-' || s[k] == '+' || s[k] == '0' || s[k] == '#')) ++k;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
  if (k < s.size() && s[k] == '.') {
    ++k;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
  }
  while (k < s.size() &&
         (s[k] == 'h' || s[k] == 'l' || s[k] == 'L' || s[k] == 'z' || s[k] == 'j' || s[k] == 't' || s[k] == 'q'))
    ++k;
  if (k < s.size() && std::string_view("diouxXeEfFgGaAcspn@").find(s[k]) != std::string_view::npos) return k + 1;
  return std::string_view::npos;
}

// Inline tag at s[i] == '<': <name ...>, </name>, <name/>; a name starts with a letter.
size_t tag_end(std::string_view s, size_t i) {
  size_t k = i + 1;
  if (k < s.size() && s[k] == '/') ++k;
  if (k >= s.size() || !((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) return std::string_view::npos;
  const size_t close = s.find('>', k);
  const size_t open = s.find('<', k);
  if (close == std::string_view::npos || (open != std::string_view::npos && open < close))
    return std::string_view::npos;
  return close + 1;
}

}  // namespace

std::string splice(const std::string& src, const std::vector<Edit>& edits,
                   const std::function<std::string(size_t)>& piece) {
  std::string out;
  out.reserve(src.size() + src.size() / 4);
  size_t pos = 0;
  for (const Edit& e : edits) {
    HYMT_ASSERT(e.begin >= pos && e.end >= e.begin && e.end <= src.size());
    out.append(src, pos, e.begin - pos);
    out += piece(e.unit);
    pos = e.end;
  }
  out.append(src, pos, std::string::npos);
  return out;
}

void trim_range(std::string_view s, size_t* b, size_t* e) {
  while (*b < *e && is_space(s[*b])) ++*b;
  while (*e > *b && is_space(s[*e - 1])) --*e;
}

bool is_blank(std::string_view s) {
  for (char c : s)
    if (!is_space(c)) return false;
  return true;
}

bool has_words(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '{') {  // skip a mask token {n}
      size_t k = i + 1;
      while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
      if (k > i + 1 && k < s.size() && s[k] == '}') {
        i = k;
        continue;
      }
    }
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  }
  return false;
}

std::vector<Line> split_lines(const std::string& s) {
  std::vector<Line> lines;
  size_t i = 0;
  while (i < s.size()) {
    size_t e = i;
    while (e < s.size() && s[e] != '\n' && s[e] != '\r') ++e;
    size_t next = e;
    if (next < s.size()) next += (s[next] == '\r' && next + 1 < s.size() && s[next + 1] == '\n') ? 2 : 1;
    lines.push_back({i, e, next});
    i = next;
  }
  return lines;
}

std::string mask_spans(const std::string& text, const std::vector<Span>& spans, std::vector<Mask>* masks) {
  std::string out;
  size_t pos = 0;
  int n = static_cast<int>(masks->size());
  for (const Span& sp : spans) {
    HYMT_ASSERT(sp.begin >= pos && sp.end > sp.begin && sp.end <= text.size());
    out.append(text, pos, sp.begin - pos);
    std::string token;
    do token = "{" + std::to_string(++n) + "}";
    while (text.find(token) != std::string::npos);
    masks->push_back({token, text.substr(sp.begin, sp.end - sp.begin)});
    out += token;
    pos = sp.end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

std::vector<Span> find_placeholders(std::string_view s) {
  std::vector<Span> spans;
  size_t i = 0;
  while (i < s.size()) {
    size_t end = std::string_view::npos;
    if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '{') {
      const size_t c = s.find("}}", i + 2);
      if (c != std::string_view::npos && s.substr(i, c - i).find('\n') == std::string_view::npos) end = c + 2;
    } else if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      end = brace_group_end(s, i + 1);
    } else if (s[i] == '{') {
      end = brace_group_end(s, i);
      // "{ }" or "{-}" are prose; a placeholder starts with a name, a number or an ICU argument.
      if (end != std::string_view::npos && (end - i < 3 || !is_ident(s[i + 1]))) end = std::string_view::npos;
    } else if (s[i] == '%' && i + 1 < s.size() && s[i + 1] == '{') {  // Ruby i18n %{name}
      end = brace_group_end(s, i + 1);
    } else if (s[i] == '%') {
      end = printf_end(s, i);
    } else if (s[i] == '<') {
      end = tag_end(s, i);
    }
    if (end != std::string_view::npos) {
      spans.push_back({i, end});
      i = end;
    } else {
      ++i;
    }
  }
  return spans;
}

std::string unmask_text(const std::string& out, const std::vector<Mask>& masks) {
  if (masks.empty()) return out;
  std::string r;
  size_t i = 0;
  while (i < out.size()) {
    bool hit = false;
    if (out[i] == '{') {
      for (const Mask& m : masks) {
        if (out.compare(i, m.token.size(), m.token) == 0) {
          r += m.original;
          i += m.token.size();
          hit = true;
          break;
        }
      }
    }
    if (!hit) r += out[i++];
  }
  return r;
}

size_t count_occurrences(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

std::string join_lines(const std::string& s) {
  std::string r;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '\n' || s[i] == '\r') {
      while (!r.empty() && (r.back() == ' ' || r.back() == '\t')) r.pop_back();
      while (i < s.size() && is_space(s[i])) ++i;
      if (!r.empty() && i < s.size()) r += ' ';
    } else {
      r += s[i++];
    }
  }
  return r;
}

}  // namespace hymt::doc
