// glossary_test.cpp: the three glossary file formats (with the line numbers of
// their defects),
// --term / --keep, and the term matching rules (case, whole words, CJK
// substrings, longest match).
#include <gtest/gtest.h>

#include <fstream>

#include "translate/glossary.h"

namespace hymt {
namespace {

std::vector<std::pair<std::string, std::string>> pairs(const Glossary& g) {
  std::vector<std::pair<std::string, std::string>> v;
  for (const auto& e : g.entries()) v.emplace_back(e.source, e.target);
  return v;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(GlossaryFormats, Tsv) {
  auto g = Glossary::parse(
      "\xEF\xBB\xBFsource\ttarget\n# "
      "comment\nHunyuan\t混元\r\n\n  WeChat \t 微信\n",
      GlossaryFormat::kTsv, "t.tsv");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(pairs(*g), (Pairs{{"Hunyuan", "混元"}, {"WeChat", "微信"}}));
  EXPECT_EQ(g->entries()[0].where, "t.tsv:3");
}

TEST(GlossaryFormats, TsvErrorsNameTheLine) {
  auto g = Glossary::parse("a\tb\nno tab here\n", GlossaryFormat::kTsv, "t.tsv");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kCorruptFile);
  EXPECT_NE(g.status().message().find("t.tsv:2: no tab"), std::string::npos) << g.status().message();
  g = Glossary::parse("a\tb\n\nx\ty\tz\n", GlossaryFormat::kTsv, "t.tsv");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("t.tsv:3: expected 2 tab-separated columns"), std::string::npos);
  g = Glossary::parse("a\t\n", GlossaryFormat::kTsv, "t.tsv");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("t.tsv:1: empty target term"), std::string::npos);
  g = Glossary::parse("a\tb\na\tc\n", GlossaryFormat::kTsv, "t.tsv");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("t.tsv:2"), std::string::npos);
  EXPECT_NE(g.status().message().find("t.tsv:1"),
            std::string::npos);  // where the first one was
  EXPECT_FALSE(Glossary::parse("# only a comment\n", GlossaryFormat::kTsv, "e.tsv").ok());
}

TEST(GlossaryFormats, CsvQuoting) {
  auto g = Glossary::parse(
      "source,target\n\"Hello, world\",\"你好，世界\"\nsay "
      "\"\"hi\"\",x\n\"multi\nline\",\"He said \"\"go\"\"\"\nplain , 平 \n",
      GlossaryFormat::kCsv, "g.csv");
  // Line 3 has quotes inside an unquoted field: an error, so test it separately
  // below.
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("g.csv:3: a quote inside an unquoted field"), std::string::npos)
      << g.status().message();
  g = Glossary::parse(
      "source,target\n\"Hello, world\",\"你好，世界\"\r\n\"multi\nline\",\"He "
      "said \"\"go\"\"\"\nplain , 平 \n",
      GlossaryFormat::kCsv, "g.csv");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(pairs(*g), (Pairs{{"Hello, world", "你好，世界"}, {"multi\nline", "He said \"go\""}, {"plain", "平"}}));
  EXPECT_EQ(g->entries()[2].where,
            "g.csv:5");  // after a field spanning two lines
}

TEST(GlossaryFormats, CsvErrorsNameTheLine) {
  auto g = Glossary::parse("a,b\nc,d\n\"open,e\n", GlossaryFormat::kCsv, "g.csv");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("g.csv:3: a quoted field is never closed"), std::string::npos)
      << g.status().message();
  g = Glossary::parse("a,b\nc,d,e\n", GlossaryFormat::kCsv, "g.csv");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("g.csv:2: expected 2 comma-separated fields"), std::string::npos);
  g = Glossary::parse("\"a\"x,b\n", GlossaryFormat::kCsv, "g.csv");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("g.csv:1: unexpected character after a closing quote"), std::string::npos);
}

TEST(GlossaryFormats, Json) {
  auto g = Glossary::parse("{\"Hunyuan\": \"混元\", \"WeChat\": \"微信\"}", GlossaryFormat::kJson, "g.json");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->entries().size(), 2u);
  g = Glossary::parse(
      "[{\"source\": \"cat\", \"target\": \"Katze\"}, "
      "{\"source\": \"dog\", \"target\": \"Hund\"}]",
      GlossaryFormat::kJson, "g.json");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(pairs(*g), (Pairs{{"cat", "Katze"}, {"dog", "Hund"}}));
  // Syntax error on line 3 (a missing comma before the third line's key).
  g = Glossary::parse("{\n  \"a\": \"b\"\n  \"c\": \"d\"\n}", GlossaryFormat::kJson, "g.json");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("g.json:3: invalid JSON"), std::string::npos) << g.status().message();
  g = Glossary::parse("[{\"source\": \"cat\"}]", GlossaryFormat::kJson, "g.json");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("entry 1"), std::string::npos);
  g = Glossary::parse("{\"a\": 3}", GlossaryFormat::kJson, "g.json");
  ASSERT_FALSE(g.ok());
  EXPECT_FALSE(Glossary::parse("\"text\"", GlossaryFormat::kJson, "g.json").ok());
  EXPECT_FALSE(Glossary::parse("a\t\xff\xfe\n", GlossaryFormat::kTsv, "bad.tsv").ok());  // not UTF-8
}

TEST(GlossaryFormats, LoadSniffsByExtensionAndContent) {
  const std::string dir = HYMT_TEST_TMP;
  const std::string p1 = dir + "/gloss_sniff.glossary";
  std::ofstream(p1) << "[{\"source\": \"a\", \"target\": \"b\"}]";
  auto g = Glossary::load(p1);
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(pairs(*g), (Pairs{{"a", "b"}}));
  const std::string p2 = dir + "/gloss_sniff.csv";
  std::ofstream(p2) << "x,y\n";
  g = Glossary::load(p2);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(pairs(*g), (Pairs{{"x", "y"}}));
  g = Glossary::load(dir + "/does_not_exist.tsv");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("does_not_exist.tsv"), std::string::npos);
}

TEST(GlossaryTerms, TermSpecAndKeep) {
  Glossary g;
  EXPECT_TRUE(g.add_term_spec("Hunyuan=混元").ok());
  EXPECT_TRUE(g.add_term_spec(" a = b=c ").ok());  // first '=' splits
  EXPECT_EQ(g.entries()[1].target, "b=c");
  EXPECT_EQ(g.add_term_spec("novalue").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(g.add_term_spec("=x").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(g.add_keep("GitHub").ok());
  EXPECT_EQ(g.entries().back().target, "GitHub");
  EXPECT_TRUE(g.entries().back().keep);
  EXPECT_EQ(g.add_keep("  ").code(), StatusCode::kInvalidArgument);
}

TEST(GlossaryMatching, CaseWholeWordsAndCjk) {
  // Lower-case term: any case; capitalised term: exact case.
  EXPECT_EQ(find_term("The API is fast", "api").size(), 1u);
  EXPECT_TRUE(find_term("I ate an apple", "Apple").empty());
  EXPECT_EQ(find_term("Apple makes phones", "Apple").size(), 1u);
  // Whole words for Latin and Cyrillic; byte ranges.
  EXPECT_TRUE(find_term("category", "cat").empty());
  EXPECT_TRUE(find_term("concatenate", "cat").empty());
  const auto h = find_term("a cat, a cat.", "cat");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0], (std::pair<size_t, size_t>{2, 5}));
  EXPECT_EQ(h[1], (std::pair<size_t, size_t>{9, 12}));
  EXPECT_TRUE(find_term("Москва", "Моск").empty());
  EXPECT_EQ(find_term("в МОСКВЕ и москве", "москве").size(), 2u);
  EXPECT_EQ(find_term("Ärger über ÄRGER", "ärger").size(), 2u);
  // Han, kana and Hangul: substrings (no spaces between words; Korean particles
  // attach).
  EXPECT_EQ(find_term("我喜欢混元模型", "混元").size(), 1u);
  EXPECT_EQ(find_term("서울에 갑니다", "서울").size(), 1u);
  // A Latin term next to Han characters is still a whole word.
  EXPECT_EQ(find_term("使用WeChat支付", "WeChat").size(), 1u);
}

TEST(GlossaryMatching, OnlyPresentTermsLongestFirst) {
  Glossary g;
  ASSERT_TRUE(g.add("York", "约克", false, "t").ok());
  ASSERT_TRUE(g.add("New York", "纽约", false, "t").ok());
  ASSERT_TRUE(g.add("Hunyuan", "混元", false, "t").ok());
  // "York" only inside "New York": not present on its own; Hunyuan absent.
  auto p = g.present_in("I love New York.");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].source, "New York");
  p = g.present_in("New York and York are far apart.");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].source, "York");  // entry order
  EXPECT_TRUE(g.present_in("nothing here").empty());
}

TEST(GlossaryMatching, TargetCheckIsCaseInsensitive) {
  EXPECT_TRUE(target_term_present("Katze ist hier", "katze"));
  EXPECT_TRUE(target_term_present("Die katze", "Katze"));
  EXPECT_FALSE(target_term_present("Katzenfutter", "Katze"));
  EXPECT_TRUE(target_term_present("我用微信", "微信"));
  EXPECT_FALSE(target_term_present("我用QQ", "微信"));
}

}  // namespace
}  // namespace hymt
