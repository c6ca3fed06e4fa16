// segment_chars.h: character classes the sentence splitter and the segment packer test. Internal to
// src/translate. Letter case (is_upper, is_lower, fold_case) is letter_case.h.
#pragma once

#include <cstdint>

#include "tokenizer/unicode_class.h"
#include "translate/letter_case.h"

namespace hymt {

inline bool is_space(uint32_t c) {
  // White_Space plus zero-width space and BOM, which Khmer/Thai/Burmese text uses between words.
  return c == 0x200B || c == 0xFEFF || (unicode_class(c) & kUcWhiteSpace);
}

inline bool is_digit(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

inline bool is_hiragana(uint32_t c) { return c >= 0x3041 && c <= 0x309F; }

// Sentence marks that need no following space: ideographic full stop, full-width ! ?, half-width 。.
inline bool is_fullwidth_terminator(uint32_t c) {
  return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF61;
}

// Script-specific sentence marks (followed by whitespace): Arabic question mark ؟, Urdu full stop ۔,
// danda । and double danda ॥, Khmer ។ ៕, Burmese ။, Tibetan shad ། and double shad ༎.
inline bool is_script_terminator(uint32_t c) {
  return c == 0x061F || c == 0x06D4 || c == 0x0964 || c == 0x0965 || c == 0x17D4 || c == 0x17D5 ||
         c == 0x104B || c == 0x0F0D || c == 0x0F0E;
}

// . ! ? … and the combined marks ‼ ⁇ ⁈ ⁉; they end a sentence only before whitespace and a
// sentence start.
inline bool is_latin_terminator(uint32_t c) {
  return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x203C || (c >= 0x2047 && c <= 0x2049);
}

// Closing quotes and brackets that stay with the sentence they end.
inline bool is_closer(uint32_t c) {
  switch (c) {
    case '"': case '\'': case ')': case ']': case '}': case 0x2019: case 0x201D: case 0xBB:
    case 0x203A: case 0x300D: case 0x300F: case 0x3011: case 0x3015: case 0x300B: case 0x3009:
    case 0xFF09: case 0xFF3D: case 0xFF5D: case 0xFF02: case 0xFF07: case 0x3017: case 0x3019:
      return true;
    default:
      return false;
  }
}

// German closes „…“ ‚…‘ »…« with marks that open quotes elsewhere; right after a sentence mark and
// before whitespace they can only be closing.
inline bool is_german_closer(uint32_t c) { return c == 0x201C || c == 0x2018 || c == 0xAB; }

// Characters that may open a sentence before its first letter: quotes, brackets, inverted marks,
// dashes.
inline bool is_opener(uint32_t c) {
  switch (c) {
    case '"': case '\'': case '(': case '[': case '{': case 0x2018: case 0x201C: case 0x201E:
    case 0x201A: case 0xAB: case 0x2039: case 0xBF: case 0xA1: case '-': case 0x2013: case 0x2014:
    case 0x300C: case 0x300E: case 0x3010: case 0x3014: case 0x300A: case 0x3008: case 0xFF08:
    case 0xBB: case '*':
      return true;
    default:
      return false;
  }
}

// Punctuation that cannot start a sentence: after it, the text before continues.
inline bool is_continuation_punct(uint32_t c) {
  switch (c) {
    case ',': case ';': case ':': case ')': case '%': case 0x3001: case 0xFF0C: case 0xFF1B:
    case 0xFF1A: case 0xFF09: case 0x060C: case 0x061B:
      return true;
    default:
      return false;
  }
}

// Clause punctuation where an over-long sentence may be cut (after the mark).
inline bool is_clause_punct(uint32_t c) {
  switch (c) {
    case ',': case ';': case ':': case 0x3001: case 0xFF0C: case 0xFF1B: case 0xFF1A: case 0x060C:
    case 0x061B: case 0x2013: case 0x2014: case 0x104A: case 0x0F0D: case 0x17D6:
      return true;
    default:
      return false;
  }
}

}  // namespace hymt
