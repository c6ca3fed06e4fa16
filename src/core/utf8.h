// utf8.h: the project's one UTF-8 codec: encoding (utf8_append), strict decoding by Unicode
// Table 3-7 with the replacement rule of Hugging Face tokenizers (Rust String::from_utf8_lossy),
// browsers and Node: each maximal ill-formed subpart is one error (Unicode ch. 3, "U+FFFD
// substitution of maximal subparts"), validation, and code point counting. utf8_decode_lax keeps the
// YAML writer's older, structure-only reading of ill-formed bytes (see there).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
// set, `len` covers that prefix and cp is U+FFFD. Overlong forms, surrogates and values above
// U+10FFFF are ill-formed.
Utf8Char utf8_decode_one(const uint8_t* p, size_t n);

// Whether `s` is well-formed UTF-8 (every character decodes without error; empty is valid).
bool utf8_valid(std::string_view s);

// Appends the UTF-8 form of cp, 1 to 4 bytes by its size. cp should be a scalar value (<= U+10FFFF,
// not a surrogate); that is not checked: a surrogate comes out as its 3-byte form (ED A0 80 for
// U+D800, which no decoder here accepts), and values above U+10FFFF give bytes that are not UTF-8.
void utf8_append(std::string& out, uint32_t cp);

// Code points in well-formed UTF-8: the bytes that are not continuation bytes (80-BF). On ill-formed
// input this is a byte count rule, not a decoder (a stray lead byte counts as one).
size_t utf8_length(std::string_view s);

// Structure-only decoding of the code point at s[*i] (*i < s.size()), advancing *i past it: a lead
// byte followed by the continuation bytes it announces gives a code point even when the form is
// overlong, a surrogate or above U+10FFFF (leads F8-FF announce three); any other byte, including a
// sequence cut by the end of `s`, is read alone as U+FFFD. Only the YAML writer uses it, to keep its
// output for ill-formed text as it was (an ill-formed subpart becomes one U+FFFD per byte there, and
// a UTF-8-encoded surrogate is escaped as \uD8xx rather than replaced); everything else decodes with
// utf8_decode_one.
uint32_t utf8_decode_lax(std::string_view s, size_t* i);

// The code points of `s`, decoded with utf8_decode_one (an ill-formed subpart is one U+FFFD).
std::vector<uint32_t> utf8_code_points(std::string_view s);

// The UTF-8 form of the code points v[b..e).
std::string utf8_from_code_points(const std::vector<uint32_t>& v, size_t b, size_t e);

}  // namespace hymt
