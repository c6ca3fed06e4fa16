// byte_unicode.h: the GPT-2 byte <-> Unicode map used by byte-level BPE (spec §3.3): bytes 33-126,
// 161-172 and 174-255 map to themselves; the other 68 bytes map to U+0100 + n in ascending order.
#pragma once

#include <cstdint>
#include <string>

namespace hymt {

// Code point that stands for byte b.
uint32_t byte_to_codepoint(uint8_t b);
// Byte for a code point, or -1 if the code point stands for no byte.
int codepoint_to_byte(uint32_t cp);
// The token string for a single byte ("Ġ" for space).
std::string byte_token(uint8_t b);

}  // namespace hymt
