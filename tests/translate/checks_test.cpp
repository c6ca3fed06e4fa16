// checks_test.cpp: each output check on hand-written translations, good and
// bad, with the source text that makes a copied word, a source repetition or a
// literal percent sign legitimate.
#include <gtest/gtest.h>

#include "translate/checks.h"

namespace hymt {
namespace {

std::vector<std::string> codes(const std::vector<Problem>& ps) {
  std::vector<std::string> v;
  for (const auto& p : ps) v.push_back(p.code);
  return v;
}

CheckInput input(const char* to, const std::string& src, const std::string& out) {
  CheckInput in;
  in.to = find_language(to);
  in.source = src;
  in.output = out;
  return in;
}

using Codes = std::vector<std::string>;

TEST(ChecksLanguage, ScriptOfTheTarget) {
  EXPECT_EQ(codes(check_output(input("zh", "The weather is nice today.", "今天天气很好。"))), Codes{});
  // Latin output for a Chinese target.
  auto p = check_output(input("zh", "The weather is nice today.", "The weather is nice today."));
  ASSERT_EQ(codes(p), Codes{"wrong_language"});
  EXPECT_NE(p[0].message.find("Latin"), std::string::npos);
  // ... but copied names do not count against it ("iPhone" is in the source).
  EXPECT_EQ(codes(check_output(input("zh", "I bought an iPhone yesterday.", "我昨天买了一部iPhone。"))), Codes{});
  EXPECT_EQ(codes(check_output(input("ru", "Hello, friend.", "Привет, друг."))), Codes{});
  EXPECT_EQ(codes(check_output(input("ru", "Hello, friend.", "你好，朋友。"))), Codes{"wrong_language"});
  EXPECT_EQ(codes(check_output(input("ar", "Good morning", "صباح الخير"))), Codes{});
  EXPECT_EQ(codes(check_output(input("th", "Thank you", "ขอบคุณครับ"))), Codes{});
  // Japanese needs kana: a Han-only sentence is Chinese.
  EXPECT_EQ(codes(check_output(input("ja", "The weather is nice today.", "今日はいい天気です。"))), Codes{});
  EXPECT_EQ(codes(check_output(input("ja", "The weather is nice today.", "今天天气非常好真的很好。"))),
            Codes{"wrong_language"});
  // Too few letters to judge ("OK" for a zh target).
  EXPECT_EQ(codes(check_output(input("zh", "Fine", "OK"))), Codes{});
}

TEST(ChecksEcho, InstructionFragments) {
  CheckInput in = input("en", "今天天气真好。", "Translate the following segment into English: The weather is nice.");
  in.instruction_fragments = {"Translate the following segment into", ", without additional explanation."};
  auto p = check_output(in);
  ASSERT_EQ(codes(p), Codes{"echoed_instructions"});
  EXPECT_NE(p[0].message.find("Translate the following segment into"), std::string::npos);
  // The same words in the source are the user's, not an echo.
  in.source = "Translate the following segment into English";
  in.output = "Translate the following segment into English";
  EXPECT_EQ(codes(check_output(in)), Codes{});
}

TEST(ChecksLoop, TextLoops) {
  TextLoop l;
  EXPECT_TRUE(find_text_loop("好的好的好的好的好的好的好的好的好的好的好的", &l));
  EXPECT_EQ(l.unit.size() % 6, 0u);  // "好的" (6 bytes) or a multiple of it
  EXPECT_GE(l.repeats, 5);
  EXPECT_TRUE(find_text_loop("I think that I think that I think that I think that.", &l));
  EXPECT_EQ(l.repeats,
            3);  // three whole copies of "I think that " before the unfinished fourth
  EXPECT_EQ(l.unit, "I think that ");
  EXPECT_FALSE(find_text_loop("The cat sat on the mat with another cat.", &l));
  EXPECT_FALSE(find_text_loop("----------------------------------------",
                              &l));              // no letter: a rule
  EXPECT_FALSE(find_text_loop("ha ha ha", &l));  // too short
  EXPECT_EQ(codes(check_output(input("zh", "Yes.", "好的好的好的好的好的好的好的好的好的好的好的"))),
            Codes{"repetition_loop"});
  // The source repeats too: "Go! Go! ..." may become a similar run.
  EXPECT_EQ(codes(check_output(
                input("de", "Go go go go go go go go go go go", "Los los los los los los los los los los los"))),
            Codes{});
  CheckInput stopped = input("de", "Hi", "Hallo");
  stopped.loop_stopped = true;
  EXPECT_EQ(codes(check_output(stopped)), Codes{"repetition_loop"});
}

TEST(ChecksTruncation, TokenLimit) {
  CheckInput in = input("de", "A long sentence.", "Ein langer");
  in.hit_token_limit = true;
  in.max_new_tokens = 3;
  auto p = check_output(in);
  ASSERT_EQ(codes(p), Codes{"truncated"});
  EXPECT_NE(p[0].message.find("3 tokens"), std::string::npos);
}

TEST(ChecksPlaceholders, Extraction) {
  EXPECT_EQ(find_placeholders("Hi {name}, you have {{count}} items in ${cart} (%s, "
                              "%d, %1$s, %.2f, %lu) 100%% <sn>x</sn> {}"),
            (std::vector<std::string>{"{name}", "{{count}}", "${cart}", "%s", "%d", "%1$s", "%.2f", "%lu", "<sn>",
                                      "</sn>", "{}"}));
  EXPECT_TRUE(find_placeholders("50% of the time, 100 % sure, {not closed").empty());
}

TEST(ChecksPlaceholders, LostAndKept) {
  EXPECT_EQ(codes(check_output(input("zh", "Hello {name}, %d new messages", "你好 {name}，%d 条新消息"))), Codes{});
  auto p = check_output(input("zh", "Hello {name}, %d new messages", "你好，%d 条新消息"));
  ASSERT_EQ(codes(p), Codes{"lost_placeholder"});
  EXPECT_NE(p[0].message.find("{name}"), std::string::npos);
  // Count matters: two <sn> pairs in the source, one in the output.
  EXPECT_EQ(codes(check_output(input("zh", "<sn>a</sn> and <sn>b</sn>", "<sn>甲</sn>和乙"))),
            (Codes{"lost_placeholder", "lost_placeholder"}));
}

TEST(ChecksGlossary, MissesReported) {
  CheckInput in = input("zh", "Hunyuan uses GitHub", "混元使用GitHub");
  in.terms = {{"Hunyuan", "混元", false, "t"}, {"GitHub", "GitHub", true, "--keep"}};
  EXPECT_EQ(codes(check_output(in)), Codes{});
  in.output = "浑元使用吉特哈布";
  auto p = check_output(in);
  ASSERT_EQ(codes(p), (Codes{"glossary_miss", "glossary_miss"}));
  EXPECT_NE(p[0].message.find("'混元'"), std::string::npos);
  EXPECT_NE(p[1].message.find("kept as is"), std::string::npos);
}

TEST(ChecksEmpty, NoTranslation) {
  EXPECT_EQ(codes(check_output(input("zh", "Hello", "  "))), Codes{"empty_output"});
  EXPECT_EQ(codes(check_output(input("zh", "123", "123"))), Codes{});
}

}  // namespace
}  // namespace hymt

// ---- on real data: FLORES-200 devtest references
// (shared/data/flores200-devtest), 38 languages ----

#include <fstream>

#include "shared_data.h"

namespace hymt {
namespace {

std::vector<std::string> flores_lines(const std::string& flores_code) {
  std::ifstream f(std::string(HYMT_SHARED_DATA) + "/flores200-devtest/devtest/" + flores_code + ".devtest");
  std::vector<std::string> v;
  for (std::string l; std::getline(f, l);) v.push_back(l);
  return v;
}

TEST(ChecksOnFlores, ReferenceTranslationsPassAndEnglishIsCaught) {
  HYMT_NEED_SHARED_DATA("flores200-devtest/devtest");
  // Human reference translations of the English source must pass every check;
  // the English source handed back as the "translation" must be caught as the
  // wrong language for every target not written in Latin script.
  const std::vector<std::string> eng = flores_lines("eng_Latn");
  ASSERT_EQ(eng.size(), 1012u);
  size_t n_checked = 0, n_false = 0, n_foreign = 0, n_caught = 0, n_known_defect = 0;
  std::string first_false;
  for (const Language& l : hy_languages()) {
    if (l.code == "en") continue;
    const std::vector<std::string> ref = flores_lines(l.flores);
    ASSERT_EQ(ref.size(), eng.size()) << l.flores;
    const bool latin = target_scripts(l) == std::vector<Script>{Script::kLatin};
    for (size_t i = 0; i < eng.size(); ++i) {
      CheckInput in;
      in.to = &l;
      in.source = eng[i];
      in.output = ref[i];
      in.instruction_fragments = {"将以下文本翻译为", "，注意只需要输出翻译后的结果，不要额外解释：",
                                  "Translate the following segment into", ", without additional explanation."};
      const auto ps = check_output(in);
      ++n_checked;
      if (!ps.empty()) {
        // One reference is itself untranslated: kaz_Cyrl line 450 is an English
        // sentence (a defect of the data set, which the check rightly reports).
        if (l.code == "kk" && i + 1 == 450 && ps.size() == 1 && ps[0].code == "wrong_language") {
          ++n_known_defect;
          continue;
        }
        // Two hold mojibake (tgl_Latn line 352: U+008D; mar_Deva line 520: U+FFFD), which the
        // character check rightly reports.
        if (((l.code == "tl" && i + 1 == 352) || (l.code == "mr" && i + 1 == 520)) && ps.size() == 1 &&
            ps[0].code == "bad_characters") {
          ++n_known_defect;
          continue;
        }
        ++n_false;
        if (first_false.empty()) first_false = l.code + ": " + ps[0].code + ": " + ps[0].message + " | " + ref[i];
      }
      if (!latin) {
        in.output = eng[i];
        ++n_foreign;
        const auto bad = check_output(in);
        n_caught += std::any_of(bad.begin(), bad.end(), [](const Problem& p) { return p.code == "wrong_language"; });
      }
    }
  }
  EXPECT_EQ(n_checked, 37u * 1012u);
  // Measured: no false alarm in 37 x 1012 references; every untranslated
  // English line caught.
  EXPECT_EQ(n_false, 0u) << first_false;
  EXPECT_EQ(n_known_defect, 3u);
  EXPECT_EQ(n_caught, n_foreign);
}

}  // namespace
}  // namespace hymt
