// json_yaml_bytes_test.cpp: JSON and YAML documents keep every byte that is not a translated string
// (issue 24): numbers no double holds or that a re-serializer would respell (1e400, 0.10, 1E5, -0.0,
// 23-digit integers), escapes, spacing and key order; YAML numbers with letters (1e400, 0x1F, .inf)
// are not taken for text. The JSON scanner's grammar errors name their line.
#include <gtest/gtest.h>

#include <cctype>

#include "translate/documents/document.h"

#include "doc_test_util.h"

using namespace hymt;
using namespace hymt::doc;
using hymt::doc::testing::parse_ok;
using hymt::doc::testing::texts;

namespace {

std::vector<std::string> upper_all(const Document& d) {
  std::vector<std::string> v = texts(d);
  for (auto& s : v)
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return v;
}

TEST(DocumentJsonBytes, NonTextValuesAndLayoutKeptByteForByte) {
  const std::string src =
      "{\n    \"big\": 1e400, \"p\" : 0.10,\t\"e\": 1E5, \"z\": -0.0,\r\n"
      "    \"n\": 12345678901234567890123, \"esc\": \"\\u0031\\/2\",\n"
      "    \"list\": [ 1.50 , \"Thank you\", true, null, {}, [] ],\n"
      "    \"nested\": {\"s\": \"Hello \\\"world\\\"\", \"t\": \"caf\\u00e9 {name}\"}\n}";
  auto d = parse_ok(Format::kJson, src);
  ASSERT_TRUE(d);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"Thank you", "Hello \"world\"", "café {1}"}));
  EXPECT_EQ(d->units()[0].where, "key list[1]");
  EXPECT_EQ(d->units()[2].where, "key nested.t");
  // Untranslated strings and every other byte stay; a translated string is written back escaped.
  EXPECT_EQ(d->render(upper_all(*d)),
            "{\n    \"big\": 1e400, \"p\" : 0.10,\t\"e\": 1E5, \"z\": -0.0,\r\n"
            "    \"n\": 12345678901234567890123, \"esc\": \"\\u0031\\/2\",\n"
            "    \"list\": [ 1.50 , \"THANK YOU\", true, null, {}, [] ],\n"
            "    \"nested\": {\"s\": \"HELLO \\\"WORLD\\\"\", \"t\": \"CAFé {name}\"}\n}");
  // Translated strings are re-encoded: their meaning is kept, not their escapes (\u00e9 becomes é).
  EXPECT_EQ(d->render({"Thank you", "Hello \"world\"", "café {1}"}),
            "{\n    \"big\": 1e400, \"p\" : 0.10,\t\"e\": 1E5, \"z\": -0.0,\r\n"
            "    \"n\": 12345678901234567890123, \"esc\": \"\\u0031\\/2\",\n"
            "    \"list\": [ 1.50 , \"Thank you\", true, null, {}, [] ],\n"
            "    \"nested\": {\"s\": \"Hello \\\"world\\\"\", \"t\": \"café {name}\"}\n}");
}

TEST(DocumentJsonBytes, ByteOrderMarkKept) {
  auto d = parse_ok(Format::kJson, "\xEF\xBB\xBF{\"a\": \"Hello\"}\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->render(upper_all(*d)), "\xEF\xBB\xBF{\"a\": \"HELLO\"}\n");
}

TEST(DocumentJsonBytes, GrammarErrorsNameTheLine) {
  struct Case {
    const char* src;
    const char* line;
    const char* what;
  };
  const Case cases[] = {
      {"{\"a\": \"x\"}\n  x", "line 2", "unexpected content after the JSON value"},
      {"{\"a\": 01}", "line 1", "expected ',' or '}'"},
      {"{\"a\": 1.}", "line 1", "expected a digit after '.'"},
      {"{\"a\": 1e}", "line 1", "exponent"},
      {"{\"a\": -}", "line 1", "expected a digit"},
      {"{\n\"a\": \"open", "line 2", "unterminated string"},
      {"{\"a\": \"tab\there\"}", "line 1", "control character"},
      {"{\"a\": \"\\ud800\"}", "line 1", "invalid string"},
      {"{\"a\": \"\\q\"}", "line 1", "invalid string"},
      {"{\"a\" 1}", "line 1", "expected ':'"},
      {"{1: 2}", "line 1", "expected a key string"},
      {"[1, 2", "line 1", "expected ',' or ']'"},
      {"[tru]", "line 1", "expected a value"},
      {"", "line 1", "expected a value, got the end of the file"},
  };
  for (const Case& c : cases) {
    auto r = parse_document(Format::kJson, c.src);
    ASSERT_FALSE(r.ok()) << c.src;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruptFile) << c.src;
    const std::string& m = r.status().message();
    EXPECT_NE(m.find(c.line), std::string::npos) << c.src << " -> " << m;
    EXPECT_NE(m.find(c.what), std::string::npos) << c.src << " -> " << m;
  }
}

TEST(DocumentYamlBytes, NumbersWithLettersAreNotText) {
  const std::string src =
      "big: 1e400\np: 0.10\ne: 1E5\nz: -0.0\nhex: 0x1F\noct: 0o17\nbin: 0b101\nsep: 1_000\ninf: -.inf\n"
      "nan: .NaN\nq: \"2.5E-3\"\nword: e5\nversion: 1.2.3b\ntitle: Good morning\n";
  auto d = parse_ok(Format::kYaml, src);
  ASSERT_TRUE(d);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"e5", "1.2.3b", "Good morning"}));
  EXPECT_EQ(d->render(upper_all(*d)),
            "big: 1e400\np: 0.10\ne: 1E5\nz: -0.0\nhex: 0x1F\noct: 0o17\nbin: 0b101\nsep: 1_000\ninf: -.inf\n"
            "nan: .NaN\nq: \"2.5E-3\"\nword: \"E5\"\nversion: \"1.2.3B\"\ntitle: \"GOOD MORNING\"\n");
}

}  // namespace
