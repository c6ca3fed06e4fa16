// segment_chars.h: character classes the sentence splitter and the segment packer test. Internal to
// src/translate. Case is decided for the scripts that have it in HY-MT's languages (Latin incl.
// Vietnamese, Cyrillic incl. Kazakh and Mongolian, Greek); every other letter is "uncased".
#pragma once

#include <cstdint>

#include "tokenizer/unicode_class.h"

namespace hymt {

inline bool is_space(uint32_t c) {
  // White_Space plus zero-width space and BOM, which Khmer/Thai/Burmese text uses between words.
  return c == 0x200B || c == 0xFEFF || (unicode_class(c) & kUcWhiteSpace);
}

inline bool is_digit(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

inline bool is_hiragana(uint32_t c) { return c >= 0x3041 && c <= 0x309F; }

// Upper-case letters of Latin (Basic, Latin-1, Extended-A/B, Extended Additional), Greek, Cyrillic.
inline bool is_upper(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x17F) {  // pairs: even upper, with a shifted stretch 0x139-0x148, 0x179-0x17E
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1;
    return c % 2 == 0 && c != 0x138;
  }
  if (c >= 0x180 && c <= 0x24F) {
    // Latin Extended-B: the letters HY-MT languages use (Vietnamese Ơ Ư, Romanised Pinyin Ǎ ...).
    return c == 0x1A0 || c == 0x1AF || (c >= 0x1CD && c <= 0x1DC && c % 2 == 1) || c == 0x218 || c == 0x21A;
  }
  if (c >= 0x1E00 && c <= 0x1EFF) return c % 2 == 0;  // Vietnamese Ạ Ả Ấ ...: even upper
  if (c >= 0x391 && c <= 0x3AB) return c != 0x3A2;
  if (c >= 0x400 && c <= 0x42F) return true;
  if (c >= 0x460 && c <= 0x4FF) {  // Cyrillic supplement pairs (Kazakh Ә Ғ Қ Ң Ө Ұ Ү Һ І, Mongolian Ө Ү)
    if (c == 0x4C0) return true;
    if (c >= 0x4C1 && c <= 0x4CE) return c % 2 == 1;
    return c % 2 == 0;
  }
  if (c >= 0xFF21 && c <= 0xFF3A) return true;  // full-width A-Z
  return false;
}

inline bool is_lower(uint32_t c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c == 0xDF || c == 0xB5) return true;
  if (c >= 0xE0 && c <= 0xFF) return c != 0xF7;
  if ((c >= 0x100 && c <= 0x24F) || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x460 && c <= 0x4FF))
    return (unicode_class(c) & kUcLetter) && !is_upper(c);
  if (c >= 0x3AC && c <= 0x3CE) return true;
  if (c >= 0x430 && c <= 0x45F) return true;
  if (c >= 0xFF41 && c <= 0xFF5A) return true;
  return false;
}

// Lower case of an upper-case letter of the cased scripts (identity otherwise). The language
// profile generator (scripts/build-langid-profile.py) mirrors this rule.
inline uint32_t fold_case(uint32_t c) {
  if (!is_upper(c)) return c;
  if (c <= 0x5A || (c >= 0xC0 && c <= 0xDE) || (c >= 0x391 && c <= 0x3AB) || (c >= 0x410 && c <= 0x42F))
    return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c == 0x4C0) return 0x4CF;
  if (c >= 0xFF21 && c <= 0xFF3A) return c;  // full-width letters are left as they are
  return c + 1;
}

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
