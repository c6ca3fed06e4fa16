// utf8_test.cpp: the UTF-8 codec of core/utf8.h against hand-written byte tables (Unicode Table 3-7,
// the maximal-subpart rule of Unicode ch. 3) rather than against itself: every encoded length, the
// boundaries of each length, ill-formed input for the strict decoder and for the YAML writer's lax
// one, and code point counting.
#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "core/utf8.h"

namespace hymt {
namespace {

std::string encode(uint32_t cp) {
  std::string s;
  utf8_append(s, cp);
  return s;
}

Utf8Char decode(const std::string& s) {
  return utf8_decode_one(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(Utf8Codec, EncodesEveryLengthAtItsBoundaries) {
  const struct {
    uint32_t cp;
    const char* bytes;
  } cases[] = {
      {0x41, "A"},
      {0x7F, "\x7F"},
      {0x80, "\xC2\x80"},
      {0xE9, "\xC3\xA9"},
      {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"},
      {0x4E2D, "\xE4\xB8\xAD"},
      {0xD7FF, "\xED\x9F\xBF"},
      {0xE000, "\xEE\x80\x80"},
      {0xFFFD, "\xEF\xBF\xBD"},
      {0xFFFF, "\xEF\xBF\xBF"},
      {0x10000, "\xF0\x90\x80\x80"},
      {0x1F600, "\xF0\x9F\x98\x80"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
  };
  EXPECT_EQ(encode(0), std::string("\0", 1));
  for (size_t k = 0; k < std::size(cases); ++k) {
    EXPECT_EQ(encode(cases[k].cp), cases[k].bytes) << std::hex << cases[k].cp;
    const Utf8Char c = decode(cases[k].bytes);
    EXPECT_FALSE(c.error) << std::hex << cases[k].cp;
    EXPECT_EQ(c.cp, cases[k].cp);
    EXPECT_EQ(c.len, std::string(cases[k].bytes).size());
  }
}

TEST(Utf8Codec, SurrogatesEncodeToTheirThreeByteFormWhichNoDecoderAccepts) {
  // utf8_append does not check its input (every caller passes scalar values); what a surrogate
  // gives is pinned so that a change is deliberate.
  EXPECT_EQ(encode(0xD800), "\xED\xA0\x80");
  EXPECT_EQ(encode(0xDFFF), "\xED\xBF\xBF");
  EXPECT_FALSE(utf8_valid(encode(0xD800)));
  EXPECT_TRUE(decode(encode(0xDFFF)).error);
}

TEST(Utf8Codec, EveryScalarValueRoundTrips) {
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const size_t len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    const std::string s = encode(cp);
    ASSERT_EQ(s.size(), len) << std::hex << cp;
    const Utf8Char c = decode(s);
    ASSERT_FALSE(c.error) << std::hex << cp;
    ASSERT_EQ(c.cp, cp);
    ASSERT_EQ(c.len, len);
    ASSERT_TRUE(utf8_valid(s));
    ASSERT_EQ(utf8_length(s), 1u);
    // On well-formed text the lax decoder agrees with the strict one.
    size_t i = 0;
    ASSERT_EQ(utf8_decode_lax(s, &i), cp);
    ASSERT_EQ(i, len);
  }
}

TEST(Utf8Codec, IllFormedBytesConsumeTheirMaximalSubpart) {
  const struct {
    std::string bytes;
    uint32_t len;  // bytes consumed
    bool incomplete;
  } cases[] = {
      {"\x80", 1, false},              // continuation byte alone
      {"\xBF\x80", 1, false},          //
      {"\xC0\xAF", 1, false},          // C0, C1 never start a character (overlong)
      {"\xC1\xBF", 1, false},          //
      {"\xC2", 1, true},               // cut after the lead
      {"\xC2\x41", 1, false},          // the second byte cannot continue
      {"\xE0\x80\x80", 1, false},      // overlong 3-byte form: E0 needs A0-BF next
      {"\xE0\xA0", 2, true},           // well-formed prefix cut by the end
      {"\xE4\xB8\x41", 2, false},      // third byte cannot continue: the subpart is E4 B8
      {"\xED\xA0\x80", 1, false},      // surrogate: ED needs 80-9F next
      {"\xF0\x8F\xBF\xBF", 1, false},  // overlong 4-byte form: F0 needs 90-BF next
      {"\xF0\x9F\x98", 3, true},       // a cut emoji
      {"\xF4\x90\x80\x80", 1, false},  // above U+10FFFF: F4 needs 80-8F next
      {"\xF5\x80\x80\x80", 1, false},  // F5-FF never start a character
      {"\xFF", 1, false},              //
  };
  for (const auto& t : cases) {
    const Utf8Char c = decode(t.bytes);
    EXPECT_TRUE(c.error) << testing::PrintToString(t.bytes);
    EXPECT_EQ(c.cp, kReplacementChar);
    EXPECT_EQ(c.len, t.len) << testing::PrintToString(t.bytes);
    EXPECT_EQ(c.incomplete, t.incomplete) << testing::PrintToString(t.bytes);
    EXPECT_FALSE(utf8_valid(t.bytes)) << testing::PrintToString(t.bytes);
  }
  EXPECT_EQ(decode("").len, 0u);
  EXPECT_TRUE(decode("").error);
}

TEST(Utf8Codec, Validity) {
  EXPECT_TRUE(utf8_valid(""));
  EXPECT_TRUE(utf8_valid("plain ASCII\n"));
  EXPECT_TRUE(utf8_valid("中文 ئۇيغۇر བོད 😀 \xEF\xBF\xBD"));
  EXPECT_FALSE(utf8_valid("ok \xE4\xB8"));  // cut at the end
  EXPECT_FALSE(utf8_valid("\xE4\xB8 ok"));  // cut in the middle
  EXPECT_FALSE(utf8_valid(std::string("a\0\xFF", 3)));
  EXPECT_TRUE(utf8_valid(std::string("a\0b", 3)));  // NUL is a character
}

TEST(Utf8Codec, LengthCountsTheBytesThatStartACharacter) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("中文"), 2u);
  EXPECT_EQ(utf8_length("é😀a"), 3u);
  EXPECT_EQ(utf8_length("\xE4\xB8"), 1u);  // a cut character still counts once
  EXPECT_EQ(utf8_length("\x80\xBF"), 0u);  // stray continuation bytes do not count
  EXPECT_EQ(utf8_length("\xFF\xC0"), 2u);  // other ill-formed bytes each count one
}

// Everything utf8_decode_lax reads from `s`, in order, with the byte offset after each.
std::vector<std::pair<uint32_t, size_t>> lax_all(const std::string& s) {
  std::vector<std::pair<uint32_t, size_t>> out;
  size_t i = 0;
  while (i < s.size()) {
    const uint32_t cp = utf8_decode_lax(s, &i);
    out.push_back({cp, i});
  }
  return out;
}

TEST(Utf8Codec, LaxDecoderReadsByStructureOnly) {
  using V = std::vector<std::pair<uint32_t, size_t>>;
  // A lead byte and the continuation bytes it announces make a code point, well-formed or not.
  EXPECT_EQ(lax_all("\xC0\x80"), (V{{0x0, 2}}));                 // overlong NUL
  EXPECT_EQ(lax_all("\xC1\xBF"), (V{{0x7F, 2}}));                // overlong DEL
  EXPECT_EQ(lax_all("\xE0\x80\xAF"), (V{{0x2F, 3}}));            // overlong '/'
  EXPECT_EQ(lax_all("\xED\xA0\x80"), (V{{0xD800, 3}}));          // surrogate
  EXPECT_EQ(lax_all("\xF4\x90\x80\x80"), (V{{0x110000, 4}}));    // above U+10FFFF
  EXPECT_EQ(lax_all("\xF8\x88\x80\x80"), (V{{0x8000, 4}}));      // F8: three more, low 3 bits
  EXPECT_EQ(lax_all("\xFF\xBF\xBF\xBF"), (V{{0x1FFFFF, 4}}));    // FF likewise
  // Anything else is one byte read as U+FFFD, so an ill-formed subpart gives one U+FFFD per byte.
  EXPECT_EQ(lax_all("\x80z"), (V{{0xFFFD, 1}, {'z', 2}}));
  EXPECT_EQ(lax_all("\xE2\x82z"), (V{{0xFFFD, 1}, {0xFFFD, 2}, {'z', 3}}));
  EXPECT_EQ(lax_all("\xE2\x82"), (V{{0xFFFD, 1}, {0xFFFD, 2}}));  // cut by the end
  EXPECT_EQ(lax_all("a\xF0\x9F\x98"), (V{{'a', 1}, {0xFFFD, 2}, {0xFFFD, 3}, {0xFFFD, 4}}));
  EXPECT_EQ(lax_all("\xC3\xA9\xE4\xB8\xAD"), (V{{0xE9, 2}, {0x4E2D, 5}}));
}

}  // namespace
}  // namespace hymt
