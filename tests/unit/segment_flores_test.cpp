// segment_flores_test.cpp: sentence boundaries recovered from FLORES-200 devtest text. Each
// language's 1012 one-sentence lines are joined with the language's separator (a space; nothing for
// Chinese, Cantonese and Japanese), split again, and the boundaries found are compared with the line
// starts. Thresholds are the measured figures minus a margin (docs/translate.md, "Segmentation").
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#ifdef HYMT_HAVE_ICU
#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#endif
#include <memory>

#include "shared_data.h"
#include "translate/languages.h"
#include "translate/segment.h"

namespace hymt {
namespace {

struct Score {
  double recall = 0, precision = 0;
};

// Minimum recall / precision per language: measured value minus 0.02 (recall) or 0.03 (precision),
// see docs/translate.md. Precision is a lower bound: about one FLORES line in eight holds two or
// more sentences ("... nothing. I have called ..."), and every break inside such a line counts as
// wrong here. Thai has no sentence mark: its spaces are judged by a model trained on lines 0-799,
// so Thai is measured on lines 800-1011 only.
const std::map<std::string, Score>& thresholds() {
  static const std::map<std::string, Score> t = {
      {"zh", {0.97, 0.83}}, {"en", {0.97, 0.85}}, {"fr", {0.97, 0.84}}, {"pt", {0.96, 0.84}},      {"es", {0.97, 0.84}},
      {"ja", {0.97, 0.83}}, {"tr", {0.97, 0.81}}, {"ru", {0.97, 0.83}}, {"ar", {0.97, 0.86}},      {"ko", {0.96, 0.82}},
      {"th", {0.76, 0.57}}, {"it", {0.97, 0.85}}, {"de", {0.96, 0.81}}, {"vi", {0.96, 0.84}},      {"ms", {0.96, 0.85}},
      {"id", {0.95, 0.83}}, {"tl", {0.96, 0.85}}, {"hi", {0.97, 0.82}}, {"zh-Hant", {0.97, 0.86}}, {"pl", {0.97, 0.86}},
      {"cs", {0.97, 0.83}}, {"nl", {0.97, 0.77}}, {"km", {0.97, 0.83}}, {"my", {0.97, 0.84}},      {"fa", {0.97, 0.85}},
      {"gu", {0.95, 0.82}}, {"ur", {0.96, 0.84}}, {"te", {0.96, 0.84}}, {"mr", {0.95, 0.82}},      {"he", {0.97, 0.84}},
      {"bn", {0.95, 0.81}}, {"ta", {0.96, 0.81}}, {"uk", {0.97, 0.84}}, {"bo", {0.95, 0.66}},      {"kk", {0.97, 0.82}},
      {"mn", {0.97, 0.85}}, {"ug", {0.97, 0.82}}, {"yue", {0.97, 0.84}}};
  return t;
}

std::vector<std::string> flores_lines(const Language& lang) {
  std::vector<std::string> lines;
  std::ifstream f(std::string(HYMT_SHARED_DATA) + "/flores200-devtest/devtest/" + lang.flores + ".devtest",
                  std::ios::binary);
  for (std::string line; std::getline(f, line);) lines.push_back(line);
  return lines;
}

bool joins_without_space(const Language& lang) {
  return lang.code == "zh" || lang.code == "zh-Hant" || lang.code == "yue" || lang.code == "ja";
}

// FLORES text of one language, lines [first, 1012) joined with the language's separator, and the
// byte offsets where each line after the first starts (a few lines begin with spaces, which belong
// to the sentence before).
struct Joined {
  std::string text;
  std::set<size_t> gold;
};

Joined join_lines(const Language& lang, const std::vector<std::string>& lines, size_t first) {
  Joined j;
  for (size_t i = first; i < lines.size(); ++i) {
    if (i > first && !joins_without_space(lang)) j.text += ' ';
    if (i > first) j.gold.insert(j.text.size() + std::min(lines[i].size(), lines[i].find_first_not_of(" \t")));
    j.text += lines[i];
  }
  return j;
}

Score score(const std::set<size_t>& gold, const std::set<size_t>& found) {
  size_t hit = 0;
  for (size_t b : found) hit += gold.count(b);
  Score s;
  s.recall = static_cast<double>(hit) / static_cast<double>(gold.size());
  s.precision = found.empty() ? 0.0 : static_cast<double>(hit) / static_cast<double>(found.size());
  return s;
}

double f1(const Score& s) {
  return s.recall + s.precision > 0 ? 2 * s.recall * s.precision / (s.recall + s.precision) : 0.0;
}

// Thai's space model is trained on lines 0-799 (scripts/build-thai-breaks.py): it is measured on
// the held-out lines 800-1011 only. The other languages' rules learned nothing from FLORES.
size_t first_line(const Language& lang) { return lang.code == "th" ? 800 : 0; }

TEST(SegmentFlores, RecallPrecisionAndRoundTrip) {
  HYMT_NEED_SHARED_DATA("flores200-devtest/devtest");
  for (const Language& lang : hy_languages()) {
    const std::vector<std::string> lines = flores_lines(lang);
    ASSERT_EQ(lines.size(), 1012u) << lang.flores;
    const Joined j = join_lines(lang, lines, first_line(lang));
    const std::string& text = j.text;
    const std::vector<std::string> pieces = split_sentences(text, &lang);
    std::string back;
    std::set<size_t> found;
    for (size_t i = 0; i < pieces.size(); ++i) {
      EXPECT_FALSE(pieces[i].empty()) << lang.code;
      if (i > 0) found.insert(back.size());
      back += pieces[i];
    }
    ASSERT_EQ(back, text) << lang.code << ": pieces do not concatenate to the input";
    const Score s = score(j.gold, found);
    std::printf("segment %-8s %-9s recall %.3f precision %.3f f1 %.3f\n", lang.code.c_str(), lang.flores.c_str(),
                s.recall, s.precision, f1(s));
    auto it = thresholds().find(lang.code);
    ASSERT_NE(it, thresholds().end()) << lang.code << " has no threshold";
    EXPECT_GE(s.recall, it->second.recall) << lang.code;
    EXPECT_GE(s.precision, it->second.precision) << lang.code;
  }
}

#ifdef HYMT_HAVE_ICU
// ICU's sentence BreakIterator (libicu, the language's locale) on the same text: printed for every
// language (docs/translate.md, "Segmentation"); for Thai, Khmer and Burmese, the scripts where a
// general-purpose splitter might know more than our rules, ours must not be worse in F1. (ICU 72:
// Thai and Khmer get almost no breaks, since ICU has no Thai model and does not treat ។ as a
// sentence end; Burmese breaks after ။ and also inside sentences.)
std::set<size_t> icu_breaks(const std::string& text, const Language& lang) {
  std::set<size_t> out;
  const std::string locale = lang.code == "zh-Hant" ? "zh_Hant" : lang.code;
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createSentenceInstance(icu::Locale(locale.c_str()), st));
  if (U_FAILURE(st)) return out;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  bi->setText(u);
  // ICU works in UTF-16 units: map each break back to a UTF-8 byte offset.
  std::vector<size_t> byte_of(static_cast<size_t>(u.length()) + 1, text.size());
  size_t bytes = 0;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    byte_of[static_cast<size_t>(i)] = bytes;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += U16_LENGTH(c);
  }
  for (int32_t p = bi->next(); p != icu::BreakIterator::DONE; p = bi->next())
    if (p < u.length()) out.insert(byte_of[static_cast<size_t>(p)]);
  return out;
}

TEST(SegmentFlores, IcuBreakIteratorComparison) {
  HYMT_NEED_SHARED_DATA("flores200-devtest/devtest");
  for (const Language& lang : hy_languages()) {
    const std::vector<std::string> lines = flores_lines(lang);
    const Joined j = join_lines(lang, lines, first_line(lang));
    std::set<size_t> ours;
    size_t at = 0;
    for (const std::string& p : split_sentences(j.text, &lang)) {
      if (at > 0) ours.insert(at);
      at += p.size();
    }
    const Score o = score(j.gold, ours), i = score(j.gold, icu_breaks(j.text, lang));
    std::printf("segment %-8s ours recall %.3f precision %.3f f1 %.3f | icu recall %.3f precision %.3f f1 %.3f\n",
                lang.code.c_str(), o.recall, o.precision, f1(o), i.recall, i.precision, f1(i));
    if (lang.code == "th" || lang.code == "km" || lang.code == "my") {
      EXPECT_GE(f1(o), f1(i)) << lang.code;
    }
  }
}
#endif

// The raw files (one sentence per line, so every line break is a soft break inside a paragraph)
// come back byte for byte, with and without the language, and no piece is empty.
TEST(SegmentFlores, RawFileRoundTrip) {
  HYMT_NEED_SHARED_DATA("flores200-devtest/devtest");
  for (const Language& lang : hy_languages()) {
    std::ifstream f(std::string(HYMT_SHARED_DATA) + "/flores200-devtest/devtest/" + lang.flores + ".devtest",
                    std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    ASSERT_GT(text.size(), 10000u) << lang.flores;
    for (const Language* hint : {&lang, static_cast<const Language*>(nullptr)}) {
      const std::vector<std::string> pieces = split_sentences(text, hint);
      std::string back;
      for (const std::string& p : pieces) {
        ASSERT_FALSE(p.empty()) << lang.code;
        back += p;
      }
      EXPECT_EQ(back, text) << lang.code;
      // Sentences were found: more than one piece per twenty lines even without a language hint
      // (Thai too: its space model is chosen by the script, not by the hint).
      EXPECT_GT(pieces.size(), 50u) << lang.code;
    }
  }
}

}  // namespace
}  // namespace hymt
