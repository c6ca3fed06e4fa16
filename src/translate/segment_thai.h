// segment_thai.h: where a space in Thai text ends a sentence (internal to src/translate). Thai has
// no sentence punctuation and also puts spaces between phrases, so a logistic-regression model
// trained on FLORES-200 (scripts/build-thai-breaks.py -> segment_thai.inc, compiled in) decides
// from the code points around the space.
#pragma once

#include <cstdint>
#include <string>

namespace hymt {

// True when the space between the chunk `before` (the non-space run that ends at the space) and
// `after` (the one that starts after it) ends a sentence. Chunks are code points; either may be
// empty (text start or end), which never ends a sentence here.
bool thai_space_ends_sentence(const std::u32string& before, const std::u32string& after);

// True for the code points of the Thai block (U+0E00-U+0E7F).
inline bool is_thai(uint32_t c) { return c >= 0x0E00 && c <= 0x0E7F; }

}  // namespace hymt
