// text.cpp: UTF-8 <-> code points, Python's whitespace and lower-case rules, line reading.
#include "eval/text.h"

#ifndef HYMT_HAVE_ICU
#define HYMT_HAVE_ICU 0
#endif

#if HYMT_HAVE_ICU
#include <unicode/ustring.h>
#include <unicode/utypes.h>
#endif

#include "core/utf8.h"
#include "io/file_util.h"

namespace hymt::eval {

U32 to_u32(std::string_view s) {
  U32 out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    Utf8Char c = utf8_decode_one(p + i, s.size() - i);
    out.push_back(static_cast<char32_t>(c.cp));
    i += c.len ? c.len : 1;
  }
  return out;
}

std::string to_utf8(const U32& s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) utf8_append(out, static_cast<uint32_t>(c));
  return out;
}

bool py_isspace(char32_t c) {
  if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  if (c < 0x85) return false;
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

std::vector<U32> py_split(const U32& s) {
  std::vector<U32> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && py_isspace(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !py_isspace(s[j])) ++j;
    if (j > i) out.emplace_back(s, i, j - i);
    i = j;
  }
  return out;
}

U32 py_join_split(const U32& s) {
  U32 out;
  out.reserve(s.size());
  for (const U32& w : py_split(s)) {
    if (!out.empty()) out.push_back(U' ');
    out += w;
  }
  return out;
}

U32 py_rstrip(const U32& s) {
  size_t n = s.size();
  while (n > 0 && py_isspace(s[n - 1])) --n;
  return s.substr(0, n);
}

U32 py_strip(const U32& s) {
  size_t b = 0, n = s.size();
  while (n > 0 && py_isspace(s[n - 1])) --n;
  while (b < n && py_isspace(s[b])) ++b;
  return s.substr(b, n - b);
}

U32 py_lower(const U32& s) {
#if !HYMT_HAVE_ICU
  // Built without ICU (a library-only cross build): ASCII only; lowercase_is_exact() says so.
  U32 r = s;
  for (char32_t& c : r)
    if (c >= U'A' && c <= U'Z') c += 32;
  return r;
#else
  // ICU works on UTF-16. Lower-casing can lengthen a string (U+0130 -> i + U+0307), so the output
  // buffer is grown once if ICU asks for more.
  std::u16string in;
  in.reserve(s.size());
  for (char32_t c : s) {
    if (c >= 0x10000) {
      in.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      in.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      in.push_back(static_cast<char16_t>(c));
    }
  }
  std::u16string out(in.size() + 16, u'\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode err = U_ZERO_ERROR;
    const int32_t n =
        u_strToLower(reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()),
                     reinterpret_cast<const UChar*>(in.data()), static_cast<int32_t>(in.size()), "", &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
      out.assign(static_cast<size_t>(n) + 1, u'\0');
      continue;
    }
    if (U_FAILURE(err)) return s;  // cannot happen for valid input; keep the text rather than lose it
    out.resize(static_cast<size_t>(n));
    break;
  }
  U32 r;
  r.reserve(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    char32_t c = out[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < out.size()) {
      c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<char32_t>(out[i + 1]) - 0xDC00);
      ++i;
    }
    r.push_back(c);
  }
  return r;
#endif
}

bool lowercase_is_exact() { return HYMT_HAVE_ICU != 0; }

Result<std::vector<std::string>> read_lines(const std::string& path) {
  auto data = read_file(path);
  if (!data.ok()) return data.status();
  const std::string& s = data.value();
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\n' && s[i] != '\r') continue;
    lines.emplace_back(s, start, i - start);
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < s.size()) lines.emplace_back(s, start, s.size() - start);
  for (size_t i = 0; i < lines.size(); ++i)
    if (!utf8_valid(lines[i])) return invalid_argument(path + ":" + std::to_string(i + 1) + ": not valid UTF-8");
  return lines;
}

}  // namespace hymt::eval
