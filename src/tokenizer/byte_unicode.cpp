// byte_unicode.cpp: tables for the GPT-2 byte-level mapping, built once.
#include "tokenizer/byte_unicode.h"

#include <array>

namespace hymt {

namespace {

bool maps_to_itself(int b) { return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255); }

struct Tables {
  std::array<uint32_t, 256> to_cp{};
  Tables() {
    int n = 0;
    for (int b = 0; b < 256; ++b) to_cp[b] = maps_to_itself(b) ? static_cast<uint32_t>(b) : 256u + n++;
  }
};
const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

uint32_t byte_to_codepoint(uint8_t b) { return tables().to_cp[b]; }

int codepoint_to_byte(uint32_t cp) {
  if (cp < 256 && maps_to_itself(static_cast<int>(cp))) return static_cast<int>(cp);
  if (cp >= 256 && cp < 256 + 68) {
    const auto& t = tables().to_cp;
    for (int b = 0; b < 256; ++b)
      if (t[b] == cp) return b;
  }
  return -1;
}

std::string utf8_encode(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string byte_token(uint8_t b) { return utf8_encode(byte_to_codepoint(b)); }

}  // namespace hymt
