// utf8.cpp: the well-formed byte sequences of Unicode Table 3-7, checked byte by byte so that the
// first byte that cannot continue a sequence ends the maximal subpart.
#include "core/utf8.h"

#include <algorithm>

namespace hymt {

Utf8Char utf8_decode_one(const uint8_t* p, size_t n) {
  Utf8Char r;
  if (n == 0) return r;
  const uint8_t b0 = p[0];
  if (b0 < 0x80) return {b0, 1, false, false};
  uint32_t need;   // continuation bytes after the lead
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  uint32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {kReplacementChar, 1, false, true};  // 80..C1, F5..FF never start a character
  }
  for (uint32_t k = 1; k <= need; ++k) {
    if (k >= n) return {kReplacementChar, k, true, true};
    const uint8_t b = p[k];
    const uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) return {kReplacementChar, k, false, true};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, need + 1, false, false};
}

bool utf8_valid(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    Utf8Char c = utf8_decode_one(p + i, s.size() - i);
    if (c.error) return false;
    i += c.len;
  }
  return true;
}

void utf8_append(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

uint32_t utf8_decode_lax(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  const int n = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
  if (n <= 0 || *i + static_cast<size_t>(n) >= s.size()) {
    ++*i;
    return n == 0 ? c : kReplacementChar;
  }
  uint32_t cp = c & (0x3F >> n);
  for (int k = 1; k <= n; ++k) {
    const unsigned char d = static_cast<unsigned char>(s[*i + k]);
    if ((d & 0xC0) != 0x80) {
      ++*i;
      return kReplacementChar;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  *i += n + 1;
  return cp;
}

std::vector<uint32_t> utf8_code_points(std::string_view s) {
  std::vector<uint32_t> out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const Utf8Char u = utf8_decode_one(p + i, s.size() - i);
    out.push_back(u.cp);
    i += std::max<uint32_t>(u.len, 1);
  }
  return out;
}

std::string utf8_from_code_points(const std::vector<uint32_t>& v, size_t b, size_t e) {
  std::string s;
  for (size_t i = b; i < e; ++i) utf8_append(s, v[i]);
  return s;
}

}  // namespace hymt
