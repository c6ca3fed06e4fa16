// segment_abbrev.h: per-language abbreviations that end in a period but do not end a sentence
// ("Mr.", "z.B.", "т.е."), used by the sentence splitter. Lists are matched case-sensitively on the
// word before the period (without the period), as written in running text.
#pragma once

#include <string>
#include <string_view>

namespace hymt {

enum class AbbrevKind {
  kNone,         // not an abbreviation: the period may end a sentence
  kAlways,       // never ends a sentence ("Mr", "Dr", "z.B")
  kBeforeNumber  // does not end a sentence when a number follows ("No. 5", "Art. 3", "pp. 12")
};

// Looks word up in the list of language code `lang` (an HY-MT code such as "de"); an empty or
// unknown code uses the English list. Every language also gets a small shared list (titles and
// Latin forms that appear across scripts).
AbbrevKind abbreviation_kind(std::string_view lang, std::string_view word);

}  // namespace hymt
