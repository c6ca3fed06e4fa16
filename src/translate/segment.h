// segment.h: sentence splitting for the 38 HY-MT languages and packing of sentences into segments
// under a token budget. Invariant for both functions: the pieces concatenate back to the input byte
// for byte (whitespace after a sentence stays with that sentence), and no piece is empty.
// Invalid UTF-8 never crashes: a stray byte is treated as one opaque character.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "translate/languages.h"

namespace hymt {

// Splits text into sentences. lang selects the abbreviation list and script conventions; nullptr
// (unknown language) uses script-generic rules plus the English abbreviation list.
// Boundaries: . ! ? … (and runs of them) followed by optional closing quotes/brackets, whitespace and
// a sentence start (upper-case letter, digit, opening quote/bracket, or a letter of an uncased
// script); full-width 。！？ (no space needed); Arabic-script ؟ ۔; danda । ॥; Khmer ។ ៕; Burmese ။;
// Tibetan ། ༎ (followed by whitespace); paragraph breaks (a blank line) always.
// Thai has no sentence punctuation and spaces between phrases too: a space next to Thai text ends a
// sentence when a model trained on FLORES-200 (segment_thai.h) says so; also paragraph breaks and
// ? !. Empty text gives an empty vector.
std::vector<std::string> split_sentences(const std::string& text, const Language* lang);

// Joins adjacent sentences into segments whose count_tokens() is at most max_tokens. A sentence
// longer than the budget is cut at clause punctuation (, ; : 、，；： and dashes), then at whitespace,
// then between code points (never inside a UTF-8 sequence). A single code point that alone exceeds
// the budget becomes its own segment. The segments concatenate to the concatenated sentences.
std::vector<std::string> pack_segments(const std::vector<std::string>& sentences, size_t max_tokens,
                                       const std::function<size_t(const std::string&)>& count_tokens);

}  // namespace hymt
