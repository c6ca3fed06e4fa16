// checks_garbage_test.cpp: the garbage checks (checks_garbage.cpp) on hand-made cases and on real
// failure text kept as fixtures (tests/translate/data/garbage_fixtures.jsonl: outputs of the demo
// model on directions it was not trained for, of random-weight and over-quantized models, and the
// three cases of issue 23); each fixture lists the problem codes check_output must give.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "translate/checks.h"

namespace hymt {
namespace {

std::vector<std::string> codes(const std::vector<Problem>& ps) {
  std::vector<std::string> v;
  for (const auto& p : ps) v.push_back(p.code);
  return v;
}
using Codes = std::vector<std::string>;

CheckInput input(const char* from, const char* to, const std::string& src, const std::string& out) {
  CheckInput in;
  in.from = from ? find_language(from) : nullptr;
  in.to = find_language(to);
  in.source = src;
  in.output = out;
  return in;
}

const std::string kSrc =
    "The committee said on Tuesday that the new bridge across the river would open next spring, two years later "
    "than planned, because of rising costs.";
const std::string kFr =
    "Le comité a déclaré mardi que le nouveau pont sur le fleuve ouvrirait au printemps prochain, deux ans plus tard "
    "que prévu, en raison de la hausse des coûts.";

TEST(ChecksGarbage, GoodTranslationPasses) {
  EXPECT_EQ(codes(check_output(input("en", "fr", kSrc, kFr))), Codes{});
  EXPECT_EQ(codes(check_output(input(
                "en", "zh", kSrc, "委员会周二表示，由于成本上升，这座横跨河流的新桥将于明年春天开通，比计划晚两年。"))),
            Codes{});
}

TEST(ChecksGarbage, BadCharacters) {
  auto p = check_characters("Hello", "Bonjour \xEF\xBF\xBD");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, "bad_characters");
  EXPECT_NE(p->message.find("U+FFFD"), std::string::npos);
  EXPECT_TRUE(check_characters("Hello", "Bon\x01jour"));
  EXPECT_TRUE(check_characters("Hello", "Bon\xC2\x85jour"));       // C1 NEL
  EXPECT_TRUE(check_characters("Hello world", "Bonjour\nmonde"));  // a newline the source does not have
  EXPECT_FALSE(check_characters("Hello\nworld", "Bonjour\nmonde"));
  EXPECT_FALSE(check_characters("Hello", "\nBonjour\n"));                  // leading/trailing whitespace
  EXPECT_FALSE(check_characters("a \xEF\xBF\xBD b", "x \xEF\xBF\xBD y"));  // copied from the source
  // Invalid UTF-8 decodes to U+FFFD.
  EXPECT_TRUE(check_characters("Hello", "Bon\xFFjour"));
}

TEST(ChecksGarbage, ForeignScript) {
  auto p = check_foreign_script(kSrc, "Le comité 委员会 a dit que le pont ouvrira.", *find_language("fr"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, "foreign_script");
  EXPECT_NE(p->message.find("Han"), std::string::npos);
  // One stray letter is tolerated; two are not.
  EXPECT_FALSE(check_foreign_script("x", "Une hélice α du peptide.", *find_language("fr")));
  EXPECT_TRUE(check_foreign_script("x", "Une hélice αβ du peptide.", *find_language("fr")));
  // Latin names are allowed everywhere; Han in Korean; kana in Japanese.
  EXPECT_FALSE(check_foreign_script("x", "iPhone 15를 샀다 (大韓民國)", *find_language("ko")));
  EXPECT_FALSE(check_foreign_script("x", "東京でiPhoneを買った", *find_language("ja")));
  EXPECT_TRUE(check_foreign_script("x", "東京でiPhoneを買った", *find_language("zh")));
  // Copied from the source: a Cyrillic name in a German translation of a Russian text.
  EXPECT_FALSE(check_foreign_script("Владимир сказал", "Владимир sagte", *find_language("de")));
  EXPECT_TRUE(check_foreign_script("Hello", "Владимир sagte", *find_language("de")));
  // Unrecognised scripts count too (Georgian in French).
  EXPECT_TRUE(check_foreign_script("x", "Bonjour გამარჯობა", *find_language("fr")));
}

TEST(ChecksGarbage, LengthRatio) {
  LengthBounds b;
  ASSERT_TRUE(length_bounds(*find_language("en"), *find_language("fr"), &b));
  EXPECT_GT(b.lo, 0.3);
  EXPECT_LT(b.lo, 1.0);
  EXPECT_GT(b.hi, 1.5);
  EXPECT_FALSE(length_bounds(*find_language("en"), *find_language("en"), &b));
  EXPECT_EQ(length_units(" a b\tc\n"), 3u);
  auto p = check_length_ratio(kSrc, "Le comité a.", *find_language("en"), *find_language("fr"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, "length_ratio");
  EXPECT_NE(p->message.find("too short"), std::string::npos);
  EXPECT_FALSE(check_length_ratio(kSrc, kFr, *find_language("en"), *find_language("fr")));
  std::string longer;
  for (int i = 0; i < 4; ++i) longer += kFr + " ";
  EXPECT_TRUE(check_length_ratio(kSrc, longer, *find_language("en"), *find_language("fr")));
  // Short sources are exempt ("OK" -> "D'accord").
  EXPECT_FALSE(check_length_ratio("OK", "D'accord, c'est entendu", *find_language("en"), *find_language("fr")));
}

TEST(ChecksGarbage, DetectedLanguage) {
  // en -> fr left in English: same script, so only the detector sees it.
  auto p = check_detected_language(kSrc, find_language("en"), *find_language("fr"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, "wrong_language");
  EXPECT_NE(p->message.find("source language"), std::string::npos);
  EXPECT_FALSE(check_detected_language(kFr, find_language("en"), *find_language("fr")));
  // A third language (German for a Spanish target).
  auto q = check_detected_language(
      "Der Ausschuss sagte am Dienstag, dass die neue Brücke über den Fluss im nächsten Frühjahr eröffnet werde.",
      find_language("en"), *find_language("es"));
  ASSERT_TRUE(q);
  EXPECT_NE(q->message.find("German"), std::string::npos);
  // Too short to judge; Malay and Indonesian are one group.
  EXPECT_FALSE(check_detected_language("The bridge opens.", find_language("en"), *find_language("fr")));
  EXPECT_TRUE(same_language_group(*find_language("ms"), *find_language("id")));
}

TEST(ChecksGarbage, MinConfidence) {
  CheckInput in = input("en", "fr", kSrc, kFr);
  in.n_output_tokens = 30;
  in.mean_logprob = -1.2;
  EXPECT_EQ(codes(check_output(in)), Codes{});  // off by default
  in.min_confidence = -0.69;
  auto p = check_output(in);
  ASSERT_EQ(codes(p), Codes{"low_confidence"});
  EXPECT_NE(p[0].message.find("-1.200"), std::string::npos);
  in.mean_logprob = -0.3;
  EXPECT_EQ(codes(check_output(in)), Codes{});
}

TEST(ChecksGarbage, Fixtures) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "data" / "garbage_fixtures.jsonl";
  std::ifstream f(path);
  ASSERT_TRUE(f) << path;
  std::string line;
  int n = 0, caught = 0;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line);
    CheckInput in = input(j["from"].get<std::string>().c_str(), j["to"].get<std::string>().c_str(),
                          j["source"].get<std::string>(), j["output"].get<std::string>());
    std::vector<std::string> got = codes(check_output(in));
    std::vector<std::string> want = j["expect"].get<std::vector<std::string>>();
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << "fixture " << n + 1 << " (" << j["origin"].get<std::string>() << ", "
                         << j["from"].get<std::string>() << "->" << j["to"].get<std::string>()
                         << "): " << j["output"].get<std::string>();
    ++n;
    caught += got.empty() ? 0 : 1;
  }
  EXPECT_GE(n, 20);
  std::printf("garbage fixtures: %d of %d caught\n", caught, n);
}

}  // namespace
}  // namespace hymt
