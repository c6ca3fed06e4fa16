// segment_test.cpp: the sentence splitter and segment packer. Expectations come from outside the
// code: the Bergamot splitter's expected output, FLORES-200 (one sentence per line, joined back
// into running text), and hand-written cases.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "shared_data.h"
#include "translate/languages.h"
#include "translate/segment.h"

namespace hymt {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream f(path, std::ios::binary);
  for (std::string line; std::getline(f, line);) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x;
  return s;
}

// Sentences without the whitespace around them, for comparison with one-per-line references.
std::vector<std::string> trimmed(const std::vector<std::string>& pieces) {
  std::vector<std::string> out;
  for (const auto& p : pieces) {
    size_t b = p.find_first_not_of(" \t\r\n"), e = p.find_last_not_of(" \t\r\n");
    if (b != std::string::npos) out.push_back(p.substr(b, e - b + 1));
  }
  return out;
}

std::vector<std::string> split_en(const std::string& text) {
  return trimmed(split_sentences(text, find_language("en")));
}

TEST(SegmentBasic, EmptyAndWhitespace) {
  EXPECT_TRUE(split_sentences("", nullptr).empty());
  auto ws = split_sentences("  \n\n ", nullptr);
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0], "  \n\n ");
}

TEST(SegmentBasic, Bergamot) {
  HYMT_NEED_SHARED_DATA("sentence-split-bergamot");
  const std::string dir = std::string(HYMT_SHARED_DATA) + "/sentence-split-bergamot/";
  const std::string text = read_file(dir + "sample.en");
  ASSERT_FALSE(text.empty());
  const auto pieces = split_sentences(text, find_language("en"));
  EXPECT_EQ(join(pieces), text);
  std::vector<std::string> expected;
  for (auto& l : read_lines(dir + "sample.en.expected"))
    if (!l.empty()) expected.push_back(l);
  EXPECT_EQ(trimmed(pieces), expected);
}

TEST(SegmentEnglish, Abbreviations) {
  EXPECT_EQ(split_en("Mr. Smith met Dr. Jones. They talked."),
            (std::vector<std::string>{"Mr. Smith met Dr. Jones.", "They talked."}));
  EXPECT_EQ(split_en("Bring fruit, e.g. apples. Then go."),
            (std::vector<std::string>{"Bring fruit, e.g. apples.", "Then go."}));
  EXPECT_EQ(split_en("It was made in the U.S. by hand."),
            (std::vector<std::string>{"It was made in the U.S. by hand."}));
  EXPECT_EQ(split_en("See No. 5 and pp. 12. Done."), (std::vector<std::string>{"See No. 5 and pp. 12.", "Done."}));
  // "etc." ends the sentence before a capital, not before a lower-case word.
  EXPECT_EQ(split_en("Apples, pears, etc. and more. Pears, etc. The end."),
            (std::vector<std::string>{"Apples, pears, etc. and more.", "Pears, etc.", "The end."}));
  EXPECT_EQ(split_en("Written by J. R. R. Tolkien. It sold well."),
            (std::vector<std::string>{"Written by J. R. R. Tolkien.", "It sold well."}));
}

using V = std::vector<std::string>;

V split_in(const char* code, const std::string& text) {
  const auto pieces = split_sentences(text, code ? find_language(code) : nullptr);
  EXPECT_EQ(join(pieces), text);
  return trimmed(pieces);
}

TEST(SegmentEnglish, NumbersUrlsAndMail) {
  EXPECT_EQ(split_en("Pi is 3.14 roughly. It never ends."), (V{"Pi is 3.14 roughly.", "It never ends."}));
  EXPECT_EQ(split_en("Visit https://example.com/a.b?x=1. Then write to info@example.org. Thanks."),
            (V{"Visit https://example.com/a.b?x=1.", "Then write to info@example.org.", "Thanks."}));
  EXPECT_EQ(split_en("It costs $1,000.50 today. In 2020. Prices rose."),
            (V{"It costs $1,000.50 today.", "In 2020.", "Prices rose."}));
  EXPECT_EQ(split_en("Version 2.0.1 is out."), (V{"Version 2.0.1 is out."}));
}

TEST(SegmentEnglish, QuotesEllipsisAndQuestions) {
  EXPECT_EQ(split_en("He said \"Stop.\" Then he left."), (V{"He said \"Stop.\"", "Then he left."}));
  EXPECT_EQ(split_en("\"Why?\" she asked. \"Because!\" (It was late.) We went home."),
            (V{"\"Why?\" she asked.", "\"Because!\"", "(It was late.)", "We went home."}));
  EXPECT_EQ(split_en("Wait... Then what? Nothing…  Really!"), (V{"Wait...", "Then what?", "Nothing…", "Really!"}));
  EXPECT_EQ(split_en("Well... maybe not."), (V{"Well... maybe not."}));
  EXPECT_EQ(split_en("Is it? yes."), (V{"Is it? yes."}));  // lower case continues the sentence
}

TEST(SegmentBasic, ParagraphsAndWhitespaceStayWithTheSentence) {
  const std::string text = "  First line\nsame sentence\n\nsecond paragraph without a mark\r\n\r\nthird. ";
  const auto pieces = split_sentences(text, find_language("en"));
  EXPECT_EQ(pieces, (V{"  First line\nsame sentence\n\n", "second paragraph without a mark\r\n\r\n", "third. "}));
  EXPECT_EQ(split_sentences("One.\u2029two", nullptr), (V{"One.\u2029", "two"}));
}

TEST(SegmentBasic, InvalidUtf8NeverCrashes) {
  const std::string bad = std::string("Bad \xff\xfe bytes. Next \xe4\xb8 one.\xc3") + "\x80\x80 End. \xf0\x9f";
  const auto pieces = split_sentences(bad, nullptr);
  EXPECT_EQ(join(pieces), bad);
  EXPECT_GE(pieces.size(), 2u);
  for (const auto& p : pieces) EXPECT_FALSE(p.empty());
}

TEST(SegmentEuropean, LanguageAbbreviations) {
  EXPECT_EQ(split_in("de", "Das ist z.B. gut. Am 3. Oktober 1990 kam die Einheit. Dr. Meier kam."),
            (V{"Das ist z.B. gut.", "Am 3. Oktober 1990 kam die Einheit.", "Dr. Meier kam."}));
  EXPECT_EQ(split_in("de", "Er kam im 19. Jahrhundert. Sie nicht."), (V{"Er kam im 19. Jahrhundert.", "Sie nicht."}));
  EXPECT_EQ(split_in("fr", "M. Dupont est là. Mme Martin aussi ! « Bonjour. » Il sourit."),
            (V{"M. Dupont est là.", "Mme Martin aussi !", "« Bonjour. »", "Il sourit."}));
  EXPECT_EQ(split_in("es", "¿Dónde está el Sr. García? ¡Aquí! Vale."),
            (V{"¿Dónde está el Sr. García?", "¡Aquí!", "Vale."}));
  EXPECT_EQ(split_in("pt", "A Sra. Silva chegou. O Dr. Costa não."), (V{"A Sra. Silva chegou.", "O Dr. Costa não."}));
  EXPECT_EQ(split_in("it", "Il Sig. Rossi è qui. Il Dott. Bianchi no."),
            (V{"Il Sig. Rossi è qui.", "Il Dott. Bianchi no."}));
  EXPECT_EQ(split_in("nl", "Dhr. Jansen komt bijv. morgen. Mevr. De Vries niet."),
            (V{"Dhr. Jansen komt bijv. morgen.", "Mevr. De Vries niet."}));
  EXPECT_EQ(split_in("pl", "Prof. Nowak, tzw. ekspert, przyszedł. Dr Kowalski nie."),
            (V{"Prof. Nowak, tzw. ekspert, przyszedł.", "Dr Kowalski nie."}));
  EXPECT_EQ(split_in("cs", "Ing. Novák přišel např. včera. Dnes ne."),
            (V{"Ing. Novák přišel např. včera.", "Dnes ne."}));
  EXPECT_EQ(split_in("ru", "Это т.е. пример. А. С. Пушкин родился в Москве. Проф. Иванов нет."),
            (V{"Это т.е. пример.", "А. С. Пушкин родился в Москве.", "Проф. Иванов нет."}));
  EXPECT_EQ(split_in("uk", "Див. рис. 3. Це вул. Шевченка. Так."), (V{"Див. рис. 3.", "Це вул. Шевченка.", "Так."}));
  // German closing quote “ after the period.
  EXPECT_EQ(split_in("de", "Er sagte: „Genug.“ Dann ging er."), (V{"Er sagte: „Genug.“", "Dann ging er."}));
}

TEST(SegmentAsian, FullWidthNeedsNoSpace) {
  EXPECT_EQ(split_in("zh", "今天天气很好。我们去公园吧！你来吗？好的。"),
            (V{"今天天气很好。", "我们去公园吧！", "你来吗？", "好的。"}));
  EXPECT_EQ(split_in("zh", "他说：“好！”然后走了。“再见。”"), (V{"他说：“好！”", "然后走了。", "“再见。”"}));
  // A particle after a closing bracket continues the Japanese sentence.
  EXPECT_EQ(split_in("ja", "「元気？」と聞いた。はい。"), (V{"「元気？」と聞いた。", "はい。"}));
  EXPECT_EQ(split_in("ko", "안녕하세요. 반갑습니다! 어디 가세요?"), (V{"안녕하세요.", "반갑습니다!", "어디 가세요?"}));
  // Mixed scripts: a Latin sentence followed by a Chinese one, and a Chinese sentence quoting English.
  EXPECT_EQ(split_in(nullptr, "This is English. 这是中文。Mr. Li agrees."),
            (V{"This is English.", "这是中文。", "Mr. Li agrees."}));
}

TEST(SegmentScripts, SentenceMarksOfEachScript) {
  EXPECT_EQ(split_in("ar", "هل أنت بخير؟ نعم. شكرا."), (V{"هل أنت بخير؟", "نعم.", "شكرا."}));
  EXPECT_EQ(split_in("ur", "یہ کتاب ہے۔ وہ قلم ہے۔"), (V{"یہ کتاب ہے۔", "وہ قلم ہے۔"}));
  EXPECT_EQ(split_in("hi", "यह किताब है। वह कलम है॥ डॉ. शर्मा आए।"), (V{"यह किताब है।", "वह कलम है॥", "डॉ. शर्मा आए।"}));
  EXPECT_EQ(split_in("bn", "এটা বই। ওটা কলম।"), (V{"এটা বই।", "ওটা কলম।"}));
  EXPECT_EQ(split_in("km", "នេះជាសៀវភៅ។ នោះជាប៊ិច។"), (V{"នេះជាសៀវភៅ។", "នោះជាប៊ិច។"}));
  EXPECT_EQ(split_in("my", "ဒါစာအုပ်ပါ။ ဟိုဟာဘောပင်ပါ။"), (V{"ဒါစာအုပ်ပါ။", "ဟိုဟာဘောပင်ပါ။"}));
  // Tibetan: a shad after the connective དང་ joins clauses; after a verb (ཡོད་) it ends the sentence.
  EXPECT_EQ(split_in("bo", "ཁོ་དང་། ཁོ་མོ་ཡོད། ང་ཡིན།"), (V{"ཁོ་དང་། ཁོ་མོ་ཡོད།", "ང་ཡིན།"}));
  EXPECT_EQ(split_in("bo", "ཁོ་ཡོང་གི་འདུག ང་ཡིན།"), (V{"ཁོ་ཡོང་གི་འདུག", "ང་ཡིན།"}));
  // Thai: an abbreviation period (ดร.) and the space between a title and a name are not
  // boundaries; the space model cuts before วันนี้ ("today", a new sentence) but not inside the
  // clause pair "วันนี้อากาศดี คุณจะไปไหม?"; ? and paragraph breaks are boundaries.
  EXPECT_EQ(split_in("th", "ดร. สมชาย ไปตลาด วันนี้อากาศดี คุณจะไปไหม? ไม่ไป\n\nย่อหน้าใหม่"),
            (V{"ดร. สมชาย ไปตลาด", "วันนี้อากาศดี คุณจะไปไหม?", "ไม่ไป", "ย่อหน้าใหม่"}));
}

// A counter independent of any tokenizer: one token per code point (continuation bytes skipped).
size_t count_code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool valid_utf8_boundaries(const std::string& s) {
  return s.empty() || ((static_cast<unsigned char>(s.front()) & 0xC0) != 0x80);
}

TEST(SegmentPack, JoinsSentencesUnderTheBudget) {
  const V sentences = {"One two. ", "Three four. ", "Five six. ", "Seven."};  // 9, 12, 10, 6 code points
  EXPECT_EQ(pack_segments(sentences, 21, count_code_points), (V{"One two. Three four. ", "Five six. Seven."}));
  EXPECT_EQ(pack_segments(sentences, 1000, count_code_points), (V{"One two. Three four. Five six. Seven."}));
  EXPECT_EQ(pack_segments(sentences, 12, count_code_points), (V{"One two. ", "Three four. ", "Five six. ", "Seven."}));
  EXPECT_TRUE(pack_segments({}, 10, count_code_points).empty());
  EXPECT_EQ(pack_segments({"", "a", ""}, 10, count_code_points), (V{"a"}));
}

TEST(SegmentPack, LongSentenceCutAtClausesThenSpacesThenCharacters) {
  EXPECT_EQ(pack_segments({"alpha beta, gamma delta; epsilon."}, 13, count_code_points),
            (V{"alpha beta, ", "gamma delta; ", "epsilon."}));
  EXPECT_EQ(pack_segments({"alpha beta gamma delta"}, 11, count_code_points), (V{"alpha beta ", "gamma delta"}));
  // No clause mark, no space: cut between characters, never inside one.
  EXPECT_EQ(pack_segments({"一二三四五六七"}, 3, count_code_points), (V{"一二三", "四五六", "七"}));
  EXPECT_EQ(pack_segments({"第一句，第二句。"}, 4, count_code_points), (V{"第一句，", "第二句。"}));
  // A budget below one code point still makes progress, one character per segment.
  EXPECT_EQ(pack_segments({"éa"}, 0, count_code_points), (V{"é", "a"}));
}

TEST(SegmentPack, BudgetAndConcatenationOnFlores) {
  HYMT_NEED_SHARED_DATA("flores200-devtest/devtest");
  for (const char* code : {"en", "zh", "th", "ja", "ar", "de"}) {
    const Language* lang = find_language(code);
    const auto lines =
        read_lines(std::string(HYMT_SHARED_DATA) + "/flores200-devtest/devtest/" + lang->flores + ".devtest");
    std::string text;
    for (size_t i = 0; i < 120 && i < lines.size(); ++i) text += lines[i] + (i % 10 == 9 ? "\n\n" : " ");
    const V sentences = split_sentences(text, lang);
    for (size_t budget : {7u, 60u, 400u}) {
      const V segs = pack_segments(sentences, budget, count_code_points);
      EXPECT_EQ(join(segs), text) << code << " " << budget;
      for (const auto& s : segs) {
        EXPECT_FALSE(s.empty());
        EXPECT_LE(count_code_points(s), budget) << code;
        EXPECT_TRUE(valid_utf8_boundaries(s)) << code;
      }
      // Greedy: no two neighbours would have fitted together.
      for (size_t i = 1; i < segs.size(); ++i) EXPECT_GT(count_code_points(segs[i - 1] + segs[i]), budget) << code;
    }
  }
}

}  // namespace
}  // namespace hymt
