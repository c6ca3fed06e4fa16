// byte_unicode.cpp: tables for the GPT-2 byte-level mapping, built once.
#include "tokenizer/byte_unicode.h"

#include <array>

#include "core/utf8.h"

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

std::string byte_token(uint8_t b) {
  std::string s;
  utf8_append(s, byte_to_codepoint(b));
  return s;
}

}  // namespace hymt
