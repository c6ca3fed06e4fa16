// letter_case.h: upper/lower case of letters and the one lower-case mapping of src/translate. Internal
// to src/translate. Case is decided for the scripts that have it in HY-MT's languages (Latin incl.
// Vietnamese, Cyrillic incl. Kazakh and Mongolian, Greek); every other letter is "uncased". These are
// hand-written rules, not Unicode's full tables: enough for sentence starts, abbreviations, language
// identification and case-insensitive glossary terms.
#pragma once

#include <cstdint>

#include "tokenizer/unicode_class.h"

namespace hymt {

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

// Which letters fold_case lowers.
enum class FoldScope {
  // Every upper-case letter is_upper() knows, by its pair rule: the sentence splitter and language
  // identification. The language profile generator (scripts/build-langid-profile.py) mirrors this
  // rule, so changing it means rebuilding src/translate/langid_profile.inc. Under the pair rule Ÿ
  // (U+0178) lowers to U+0179 and İ (U+0130) to ı (U+0131); FLORES text with both went into the
  // profiles that way.
  kAllCased,
  // Glossary term matching: ASCII, Latin-1, Latin Extended-A, Greek U+0391-U+03A9 and Cyrillic
  // U+0400-U+042F only, with Ÿ -> ÿ (its Unicode lower case) and İ left as it is (its lower case
  // is i plus a combining dot). Letters outside these blocks (Vietnamese, Latin Extended-B, the
  // Cyrillic supplement, Greek Ϊ Ϋ) keep their case: they match only as written and do not make a
  // term case-sensitive (glossary.h).
  kBasicScripts,
};

// Lower case of an upper-case letter in `scope` (identity otherwise); full-width letters are always
// left as they are.
inline uint32_t fold_case(uint32_t c, FoldScope scope) {
  if (scope == FoldScope::kBasicScripts) {
    if (c == 0x178) return 0xFF;
    const bool basic = c <= 0x17F || (c >= 0x391 && c <= 0x3A9) || (c >= 0x400 && c <= 0x42F);
    if (!basic || c == 0x130) return c;
  }
  if (!is_upper(c)) return c;
  if (c <= 0x5A || (c >= 0xC0 && c <= 0xDE) || (c >= 0x391 && c <= 0x3AB) || (c >= 0x410 && c <= 0x42F))
    return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c == 0x4C0) return 0x4CF;
  if (c >= 0xFF21 && c <= 0xFF3A) return c;
  return c + 1;
}

}  // namespace hymt
