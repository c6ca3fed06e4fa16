// letter_case_test.cpp: fold_case against hand-written tables of the blocks each scope covers
// (written from the Unicode charts, with the places where the old rules part from Unicode marked),
// checked on every code point: whatever no table row names must stay as it is.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/utf8.h"
#include "translate/letter_case.h"

namespace hymt {
namespace {

// In [first, last], the code points of the given parity (0 even, 1 odd, -1 all) lower to c + delta.
struct Row {
  uint32_t first, last;
  int parity;
  int delta;
};

// Checks fold_case(c, scope) for every code point below 0x110000 against the rows, with the single
// exceptions (code point -> result) on top; anything else must map to itself.
void expect_folds(FoldScope scope, const std::vector<Row>& rows,
                  const std::vector<std::pair<uint32_t, uint32_t>>& exc) {
  std::vector<uint32_t> e(0x110000);
  for (uint32_t c = 0; c < e.size(); ++c) e[c] = c;
  for (const Row& r : rows)
    for (uint32_t c = r.first; c <= r.last; ++c)
      if (r.parity < 0 || static_cast<int>(c % 2) == r.parity) e[c] = c + r.delta;
  for (const auto& [c, to] : exc) e[c] = to;
  for (uint32_t c = 0; c < e.size(); ++c) ASSERT_EQ(fold_case(c, scope), e[c]) << std::hex << "U+" << c;
}

std::string fold_text(const std::string& s, FoldScope scope) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const Utf8Char c = utf8_decode_one(reinterpret_cast<const uint8_t*>(s.data()) + i, s.size() - i);
    utf8_append(out, fold_case(c.cp, scope));
    i += c.len;
  }
  return out;
}

TEST(LetterCase, AllCasedFoldsTheLettersIsUpperKnows) {
  const std::vector<Row> rows = {
      {0x41, 0x5A, -1, 0x20},     // A-Z
      {0xC0, 0xDE, -1, 0x20},     // À-Þ (× is an exception below)
      {0x100, 0x137, 0, 1},       // Ā ā ... Ķ ķ (İ -> ı by the pair rule)
      {0x139, 0x148, 1, 1},       // Ĺ ĺ ... Ň ň
      {0x14A, 0x177, 0, 1},       // Ŋ ŋ ... Ŷ ŷ
      {0x179, 0x17E, 1, 1},       // Ź ź Ż ż Ž ž
      {0x1A0, 0x1A0, -1, 1},      // Ơ
      {0x1AF, 0x1AF, -1, 1},      // Ư
      {0x1CD, 0x1DC, 1, 1},       // Ǎ ǎ ... Ǜ ǜ
      {0x218, 0x218, -1, 1},      // Ș
      {0x21A, 0x21A, -1, 1},      // Ț
      {0x1E00, 0x1EFF, 0, 1},     // Latin Extended Additional by pairs (Vietnamese Ạ ạ ...)
      {0x391, 0x3AB, -1, 0x20},   // Α-Ϋ (U+03A2 is unassigned: exception below)
      {0x400, 0x40F, -1, 0x50},   // Ѐ-Џ
      {0x410, 0x42F, -1, 0x20},   // А-Я
      {0x460, 0x4BF, 0, 1},       // Ѡ ѡ ... Ҿ ҿ by pairs (also the signs 0x482-0x489: pair rule)
      {0x4C1, 0x4CE, 1, 1},       // Ӂ ӂ ... Ӎ ӎ
      {0x4D0, 0x4FF, 0, 1},       // Ӑ ӑ ... Ӿ ӿ
  };
  const std::vector<std::pair<uint32_t, uint32_t>> exc = {
      {0xD7, 0xD7},    // ×
      {0x178, 0x179},  // Ÿ: the pair rule gives Ź (Unicode: ÿ); the language profiles were built so
      {0x3A2, 0x3A2},  //
      {0x4C0, 0x4CF},  // Ӏ -> ӏ
  };
  expect_folds(FoldScope::kAllCased, rows, exc);
  EXPECT_EQ(fold_text("ĐẠI HỌC ƠƯ ǍǑ ȘȚ İ ӘҒҚҢӨҰҮҺІ Ӏ ΪΫ ЁЏ ＡＢ", FoldScope::kAllCased),
            "đại học ơư ǎǒ șț ı әғқңөұүһі ӏ ϊϋ ёџ ＡＢ");
}

TEST(LetterCase, BasicScriptsFoldsOnlyTheCoreBlocks) {
  const std::vector<Row> rows = {
      {0x41, 0x5A, -1, 0x20},    // A-Z
      {0xC0, 0xDE, -1, 0x20},    // À-Þ
      {0x100, 0x137, 0, 1},      // Ā ā ... Ķ ķ (İ is an exception below)
      {0x139, 0x148, 1, 1},      // Ĺ ĺ ... Ň ň
      {0x14A, 0x177, 0, 1},      // Ŋ ŋ ... Ŷ ŷ
      {0x179, 0x17E, 1, 1},      // Ź ź Ż ż Ž ž
      {0x391, 0x3A9, -1, 0x20},  // Α-Ω
      {0x400, 0x40F, -1, 0x50},  // Ѐ-Џ
      {0x410, 0x42F, -1, 0x20},  // А-Я
  };
  const std::vector<std::pair<uint32_t, uint32_t>> exc = {
      {0xD7, 0xD7},    // ×
      {0x130, 0x130},  // İ stays
      {0x178, 0xFF},   // Ÿ -> ÿ
      {0x3A2, 0x3A2},  //
  };
  expect_folds(FoldScope::kBasicScripts, rows, exc);
  EXPECT_EQ(fold_text("ÀÉÎÕÜ ĀČĞŁŐŠŽ Ÿ İ ΑΒΓΔΩ ΪΫ АБВЯ ЁЂЏ ĐẠI ƠƯ Ә", FoldScope::kBasicScripts),
            "àéîõü āčğłőšž ÿ İ αβγδω ΪΫ абвя ёђџ đẠi ƠƯ Ә");
}

TEST(LetterCase, UpperAndLowerClasses) {
  for (const char32_t c : std::u32string(U"AZÀÞĀŸŹƠǍȘẠỸΑΩЀЯѠӀӐＡＺ"))
    EXPECT_TRUE(is_upper(c)) << std::hex << static_cast<uint32_t>(c);
  for (const char32_t c : std::u32string(U"azàÿßµāźơǎșạỹαωώѐяѡӏӑａｚ"))
    EXPECT_TRUE(is_lower(c)) << std::hex << static_cast<uint32_t>(c);
  for (const char32_t c : std::u32string(U"×÷ĸ中あ1 "))
    EXPECT_FALSE(is_upper(c)) << std::hex << static_cast<uint32_t>(c);
  for (const char32_t c : std::u32string(U"×÷中あ1 AΩЯ"))
    EXPECT_FALSE(is_lower(c)) << std::hex << static_cast<uint32_t>(c);
}

}  // namespace
}  // namespace hymt
