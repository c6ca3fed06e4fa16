// utf8.h: UTF-8 decoding with the replacement rule Hugging Face tokenizers (Rust
// String::from_utf8_lossy), browsers and Node share: each maximal ill-formed subpart becomes one
// U+FFFD (Unicode ch. 3, "U+FFFD substitution of maximal subparts"). Decoding the same bytes whole or
// in pieces through Utf8Stream gives the same text, and Utf8Stream never emits half a character.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hymt {

constexpr uint32_t kReplacementChar = 0xFFFD;

// Result of decoding one character at the start of a byte range.
struct Utf8Char {
  uint32_t cp = kReplacementChar;  // U+FFFD when the bytes are ill-formed
  uint32_t len = 0;                // bytes consumed (>= 1 unless the range is empty)
  bool incomplete = false;         // the range ended inside an otherwise well-formed sequence
  bool error = true;               // ill-formed or incomplete (cp is then U+FFFD)
};

// Decodes the character at p[0..n). For ill-formed bytes, consumes the maximal subpart (1 to 3
// bytes) and returns U+FFFD. When the range ends early inside a well-formed prefix, `incomplete` is
// set, `len` covers that prefix and cp is U+FFFD.
Utf8Char utf8_decode_one(const uint8_t* p, size_t n);

bool utf8_valid(std::string_view s);
// `s` with each maximal ill-formed subpart (including a truncated tail) replaced by U+FFFD.
std::string utf8_sanitize(std::string_view s);
// Appends the UTF-8 form of cp (cp must be a scalar value <= U+10FFFF).
void utf8_append(std::string& out, uint32_t cp);

// Incremental decoder over a byte stream: push() returns the text that is complete so far (valid
// UTF-8, possibly empty) and keeps an unfinished character for the next call; finish() flushes the
// rest (an unfinished tail becomes U+FFFD). Concatenating every piece equals utf8_sanitize of the
// concatenated input.
class Utf8Stream {
 public:
  std::string push(std::string_view bytes);
  std::string finish();
  // Bytes held back waiting for the rest of a character (0 to 3).
  size_t pending() const { return pending_.size(); }

 private:
  std::string pending_;
};

}  // namespace hymt
