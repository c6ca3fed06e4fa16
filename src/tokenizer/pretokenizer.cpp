// pretokenizer.cpp: hand-written matchers for the `hunyuan-dense` and `hunyuan` regexes. Each
// matcher answers "does the pattern match at position i, and where does that match end?" the way a
// backtracking engine would: alternatives in order, greedy quantifiers giving back one character at
// a time. The text is first decoded to code points; a lookahead at the end of a piece sees the end
// of the string, because Hugging Face runs each regex on each piece separately.
#include "tokenizer/pretokenizer.h"

#include "core/utf8.h"
#include "tokenizer/unicode_class.h"

namespace hymt {

namespace {

using Pieces = std::vector<std::pair<uint32_t, uint32_t>>;

struct Text {
  std::vector<uint32_t> cp;
  std::vector<uint8_t> cls;    // unicode_class of each code point
  std::vector<uint32_t> off;   // byte offset of each code point, plus the end
};

bool is_ws(uint8_t c) { return c & kUcWhiteSpace; }
bool is_crlf(uint32_t cp) { return cp == '\r' || cp == '\n'; }
bool is_ascii_letter(uint32_t cp) { return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'; }
bool is_ascii_punct(uint32_t cp) {
  return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
         (cp >= 0x7B && cp <= 0x7E);
}
bool is_cjk_kana(uint32_t cp) {  // [一-龥぀-ゟ゠-ヿ]
  return (cp >= 0x4E00 && cp <= 0x9FA5) || (cp >= 0x3040 && cp <= 0x30FF);
}

// Shared tail alternatives of both big regexes, tried at i with the piece ending at e:
//   \s*[\r\n]+  |  \s+(?!\S)  |  \s+
// Returns the match end or 0 (i < e always, so a match end is never 0).
uint32_t match_space_tail(const Text& t, uint32_t i, uint32_t e) {
  if (!is_ws(t.cls[i])) return 0;
  uint32_t j = i;
  while (j < e && is_ws(t.cls[j])) ++j;  // the whole whitespace run [i, j)
  // \s*[\r\n]+: \s* gives back characters until [\r\n]+ can start; the first such point from the
  // right is the last \r or \n of the run, and [\r\n]+ then ends right after it.
  for (uint32_t k = j; k > i; --k)
    if (is_crlf(t.cp[k - 1])) return k;
  // \s+(?!\S): the whole run if it reaches the end of the piece, else all but its last character.
  if (j == e) return j;
  if (j - i >= 2) return j - 1;
  return j;  // \s+
}

// hunyuan-dense regex 3:
// [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+ | [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+ |
// ' ?[\p{P}\p{S}]+[\r\n]*' | \s*[\r\n]+ | \s+(?!\S) | \s+
uint32_t match_dense3(const Text& t, uint32_t i, uint32_t e) {
  const uint32_t c = t.cp[i];
  const uint8_t k = t.cls[i];
  const bool next = i + 1 < e;
  // 1: one ASCII punctuation character, then ASCII letters.
  if (is_ascii_punct(c) && next && is_ascii_letter(t.cp[i + 1])) {
    uint32_t j = i + 1;
    while (j < e && is_ascii_letter(t.cp[j])) ++j;
    return j;
  }
  // 2: an optional prefix that is not \r, \n, a letter, punctuation or symbol, then letters/marks.
  auto lm = [&](uint32_t p) { return (t.cls[p] & (kUcLetter | kUcMark)) != 0; };
  auto lm_run = [&](uint32_t p) {
    while (p < e && lm(p)) ++p;
    return p;
  };
  const bool prefix_ok = !is_crlf(c) && !(k & (kUcLetter | kUcPunct | kUcSymbol));
  if (prefix_ok && next && lm(i + 1)) return lm_run(i + 1);
  if (lm(i)) return lm_run(i);
  // 3: an optional space, punctuation/symbols, then any \r\n.
  auto ps = [&](uint32_t p) { return (t.cls[p] & (kUcPunct | kUcSymbol)) != 0; };
  uint32_t s = i;
  if (c == ' ' && next && ps(i + 1)) s = i + 1;
  if (ps(s)) {
    uint32_t j = s;
    while (j < e && ps(j)) ++j;
    while (j < e && is_crlf(t.cp[j])) ++j;
    return j;
  }
  return match_space_tail(t, i, e);
}

// The Qwen2 regex used by `hunyuan`:
// (?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N} |
// ' ?[^\s\p{L}\p{N}]+[\r\n]*' | \s*[\r\n]+ | \s+(?!\S) | \s+
uint32_t match_qwen2(const Text& t, uint32_t i, uint32_t e) {
  const uint32_t c = t.cp[i];
  const uint8_t k = t.cls[i];
  if (c == '\'' && i + 1 < e) {
    const uint32_t a = t.cp[i + 1] | 0x20;  // ASCII case fold (only letters are compared)
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return i + 2;
    if (i + 2 < e) {
      const uint32_t b = t.cp[i + 2] | 0x20;
      if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return i + 3;
    }
  }
  auto letter = [&](uint32_t p) { return (t.cls[p] & kUcLetter) != 0; };
  auto l_run = [&](uint32_t p) {
    while (p < e && letter(p)) ++p;
    return p;
  };
  const bool prefix_ok = !is_crlf(c) && !(k & (kUcLetter | kUcNumber));
  if (prefix_ok && i + 1 < e && letter(i + 1)) return l_run(i + 1);
  if (letter(i)) return l_run(i);
  if (k & kUcNumber) return i + 1;
  auto other = [&](uint32_t p) { return (t.cls[p] & (kUcWhiteSpace | kUcLetter | kUcNumber)) == 0; };
  uint32_t s = i;
  if (c == ' ' && i + 1 < e && other(i + 1)) s = i + 1;
  if (other(s)) {
    uint32_t j = s;
    while (j < e && other(j)) ++j;
    while (j < e && is_crlf(t.cp[j])) ++j;
    return j;
  }
  return match_space_tail(t, i, e);
}

// Runs `match` over the piece [b, e) (code point indices) and appends matches and gaps.
template <class Match>
void split_isolated(const Text& t, uint32_t b, uint32_t e, Match match, std::vector<std::pair<uint32_t, uint32_t>>* out) {
  uint32_t gap = b;
  uint32_t i = b;
  while (i < e) {
    const uint32_t m = match(t, i, e);
    if (m == 0) {
      ++i;
      continue;
    }
    if (gap < i) out->emplace_back(gap, i);
    out->emplace_back(i, m);
    i = gap = m;
  }
  if (gap < e) out->emplace_back(gap, e);
}

uint32_t match_digits(const Text& t, uint32_t i, uint32_t e) {  // \p{N}{1,3}
  uint32_t j = i;
  while (j < e && j < i + 3 && (t.cls[j] & kUcNumber)) ++j;
  return j == i ? 0 : j;
}

uint32_t match_cjk(const Text& t, uint32_t i, uint32_t e) {  // [一-龥぀-ゟ゠-ヿ]+
  uint32_t j = i;
  while (j < e && is_cjk_kana(t.cp[j])) ++j;
  return j == i ? 0 : j;
}

}  // namespace

const char* pre_tokenizer_name(PreTokenizerKind k) {
  return k == PreTokenizerKind::kHunyuanDense ? "hunyuan-dense" : "hunyuan";
}

std::optional<PreTokenizerKind> parse_pre_tokenizer_name(std::string_view name) {
  if (name == "hunyuan-dense") return PreTokenizerKind::kHunyuanDense;
  if (name == "hunyuan") return PreTokenizerKind::kHunyuan;
  return std::nullopt;
}

const std::vector<std::string_view>& pre_tokenizer_patterns(PreTokenizerKind k) {
  static const std::vector<std::string_view> dense = {
      "\\p{N}{1,3}",
      "[一-龥぀-ゟ゠-ヿ]+",
      "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| "
      "?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
  };
  static const std::vector<std::string_view> qwen2 = {
      "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "
      "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  };
  return k == PreTokenizerKind::kHunyuanDense ? dense : qwen2;
}

void pre_tokenize(PreTokenizerKind kind, std::string_view text, Pieces* pieces) {
  Text t;
  t.cp.reserve(text.size());
  t.off.reserve(text.size() + 1);
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  for (uint32_t i = 0; i < text.size();) {
    Utf8Char c = utf8_decode_one(p + i, text.size() - i);
    t.cp.push_back(c.cp);
    t.cls.push_back(unicode_class(c.cp));
    t.off.push_back(i);
    i += c.len;
  }
  t.off.push_back(static_cast<uint32_t>(text.size()));
  const auto n = static_cast<uint32_t>(t.cp.size());

  Pieces cur, next;
  if (kind == PreTokenizerKind::kHunyuanDense) {
    split_isolated(t, 0, n, match_digits, &cur);
    for (const auto& [b, e] : cur) split_isolated(t, b, e, match_cjk, &next);
    cur.clear();
    for (const auto& [b, e] : next) split_isolated(t, b, e, match_dense3, &cur);
  } else {
    split_isolated(t, 0, n, match_qwen2, &cur);
  }
  for (const auto& [b, e] : cur) pieces->emplace_back(t.off[b], t.off[e]);
}

}  // namespace hymt
