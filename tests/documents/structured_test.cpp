// structured_test.cpp: Markdown, JSON and YAML documents, placeholder masking, and the document
// driver (document_job) over fake translate functions: retries, kept sources, rolling context,
// sentence packing. Expected units and outputs are written by hand.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "translate/document_job.h"
#include "translate/documents/document.h"
#include "translate/documents/text_util.h"

#include "doc_test_util.h"

using namespace hymt;
using namespace hymt::doc;
using hymt::doc::testing::parse_ok;
using hymt::doc::testing::texts;

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> upper_all(const Document& d) {
  std::vector<std::string> v = texts(d);
  for (auto& s : v) s = upper(s);
  return v;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) v.push_back(l);
  return v;
}

const char* kMarkdown =
    "---\ntitle: Front matter stays\n---\n\n"
    "# Getting started\n\n"
    "Install the tool with `pip install hymt` and read\nthe [user guide](https://example.com/Guide_v2) first.\n\n"
    "    indented code stays\n\n"
    "```bash\necho \"fenced code stays\"\n```\n\n"
    "- First item with ![logo](img/logo.png)\n- Second item, see https://example.org/x.\n1. Numbered item\n\n"
    "> Quoted text here.\n\n"
    "| Name | Description |\n|------|-------------|\n| `id` | The unique key |\n| size | Bytes \\| total |\n\n"
    "<div align=\"center\">\nHTML block stays\n</div>\n\n"
    "[guide]: https://example.com/guide\nSetext heading\n==============\n";

}  // namespace

TEST(DocumentMask, PlaceholdersOfI18nStrings) {
  const std::string s =
      "Hi {name}, %d new %1$s {{count}} ${var} %{ruby} {n, plural, one {# item} other {# items}} <b>x</b> 50% off { }";
  std::vector<std::string> got;
  for (const Span& sp : doc::find_placeholders(s)) got.push_back(s.substr(sp.begin, sp.end - sp.begin));
  EXPECT_EQ(got, (std::vector<std::string>{"{name}", "%d", "%1$s", "{{count}}", "${var}", "%{ruby}",
                                           "{n, plural, one {# item} other {# items}}", "<b>", "</b>"}));
  std::vector<Mask> masks;
  const std::string m = mask_spans("a {1} b {x}", {{8, 11}}, &masks);
  EXPECT_EQ(m, "a {1} b {2}");  // {1} already occurs in the text, so the token skips it
  EXPECT_EQ(unmask_text("B {2} A {1}", masks), "B {x} A {1}");
}

TEST(DocumentMarkdown, CodeLinksTablesKeptTextTranslated) {
  auto d = parse_ok(Format::kMarkdown, kMarkdown);
  ASSERT_TRUE(d);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{
                           "Getting started", "Install the tool with {1} and read the {2}user guide{3} first.",
                           "First item with {1}", "Second item, see {1}.", "Numbered item", "Quoted text here.", "Name",
                           "Description", "The unique key", "size", "Bytes \\| total", "Setext heading"}));
  EXPECT_EQ(d->render(texts(*d)), kMarkdown);
  const std::string out = d->render(upper_all(*d));
  const auto in_lines = lines_of(kMarkdown), out_lines = lines_of(out);
  // The paragraph's two lines became one; every other line keeps its place.
  ASSERT_EQ(out_lines.size() + 1, in_lines.size());
  for (const char* kept : {"title: Front matter stays", "    indented code stays", "echo \"fenced code stays\"",
                           "<div align=\"center\">", "HTML block stays", "[guide]: https://example.com/guide",
                           "|------|-------------|", "==============", "```bash"})
    EXPECT_NE(std::find(out_lines.begin(), out_lines.end(), kept), out_lines.end()) << kept;
  EXPECT_NE(
      out.find(
          "INSTALL THE TOOL WITH `pip install hymt` AND READ THE [USER GUIDE](https://example.com/Guide_v2) FIRST."),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("- FIRST ITEM WITH ![logo](img/logo.png)\n"), std::string::npos);
  EXPECT_NE(out.find("- SECOND ITEM, SEE https://example.org/x.\n"), std::string::npos);
  EXPECT_NE(out.find("| `id` | THE UNIQUE KEY |\n| SIZE | BYTES \\| TOTAL |\n"), std::string::npos);
  // A '|' in a cell translation is escaped so the row keeps its columns.
  std::vector<std::string> t = texts(*d);
  t[6] = "Name | Alias";
  EXPECT_NE(d->render(t).find("| Name \\| Alias | Description |"), std::string::npos);
}

TEST(DocumentJson, KeysOrderAndPlaceholdersKept) {
  const std::string src = R"({
  "app": {
    "title": "Photo Viewer",
    "greeting": "Hello {name}, you have %d new photos",
    "count": 3,
    "enabled": true,
    "items": ["Open {{file}}", "Save as ${ext}", "42"],
    "plural": "{n, plural, one {# photo} other {# photos}} selected",
    "empty": "",
    "url": "%1$s"
  },
  "zeta": null
}
)";
  auto d = parse_ok(Format::kJson, src);
  ASSERT_TRUE(d);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"Photo Viewer", "Hello {1}, you have {2} new photos", "Open {1}",
                                                 "Save as {1}", "{1} selected"}));
  EXPECT_EQ(d->units()[1].where, "key app.greeting");
  EXPECT_EQ(nlohmann::ordered_json::parse(d->render(texts(*d))), nlohmann::ordered_json::parse(src));
  const std::string out = d->render(upper_all(*d));
  EXPECT_EQ(out.substr(0, 12), "{\n  \"app\": {");  // the input's two-space indentation
  auto j = nlohmann::ordered_json::parse(out);
  std::vector<std::string> keys;
  for (auto it = j["app"].begin(); it != j["app"].end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"title", "greeting", "count", "enabled", "items", "plural", "empty", "url"}));
  EXPECT_EQ(j["app"]["greeting"], "HELLO {name}, YOU HAVE %d NEW PHOTOS");
  EXPECT_EQ(j["app"]["items"][1], "SAVE AS ${ext}");
  EXPECT_EQ(j["app"]["plural"], "{n, plural, one {# photo} other {# photos}} SELECTED");
  EXPECT_EQ(j["app"]["count"], 3);
  EXPECT_TRUE(j["zeta"].is_null());
  auto bad = parse_document(Format::kJson, "{\n  \"a\": \"x\",\n  \"b\": \n}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 4"), std::string::npos) << bad.status().message();
}

// Two inputs that used to abort `hymt translate` (issue 24): a number beyond double's range threw
// nlohmann's out_of_range past the parser's catch (exit 134), and 100 000 nested arrays overflowed
// the stack in the recursive destructor (SIGSEGV). The number is now kept as written
// (json_yaml_bytes_test.cpp); the nesting is a corrupt-file error.
TEST(DocumentJson, HugeNumbersKeptAndDeepNestingIsAnError) {
  auto huge = parse_ok(Format::kJson, R"({"n": 1e400, "s": "Hello world"})");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->render(upper_all(*huge)), R"({"n": 1e400, "s": "HELLO WORLD"})");
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto nested = parse_document(Format::kJson, deep);
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.status().code(), hymt::StatusCode::kCorruptFile);
  EXPECT_NE(nested.status().message().find("nested deeper"), std::string::npos) << nested.status().message();
  // Brackets inside strings do not count, and 512 levels are still read.
  const std::string strings = R"({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ not nesting"})";
  EXPECT_TRUE(parse_document(Format::kJson, strings).ok());
  const std::string ok_deep = std::string(511, '[') + "{\"k\": \"Hello world\"}" + std::string(511, ']');
  EXPECT_TRUE(parse_document(Format::kJson, ok_deep).ok());
}

TEST(DocumentYaml, CommentsKeysAndScalarStylesKept) {
  const std::string src =
      "# Messages for the app\nen:\n  title: Photo Viewer   # shown in the title bar\n"
      "  greeting: \"Hello %{name}!\\n\"\n  quote: 'It''s here'\n  count: 3\n  enabled: true\n"
      "  menu:\n    - Open file\n    - label: Save {file}\n      key: ctrl+s\n"
      "  long: >\n    This is a folded\n    paragraph of text.\n  literal: |\n    Line one\n    Line two\n"
      "  anchor: &a Something\n  ref: *a\n  multi: plain text that\n    continues here\n";
  auto d = parse_ok(Format::kYaml, src);
  ASSERT_TRUE(d);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"Photo Viewer", "Hello {1}!\n", "It's here", "Open file", "Save {1}",
                                                 "ctrl+s", "This is a folded paragraph of text.", "Line one\nLine two",
                                                 "plain text that continues here"}));
  EXPECT_EQ(d->render(texts(*d)), src);
  const std::string out = d->render(upper_all(*d));
  EXPECT_EQ(out,
            "# Messages for the app\nen:\n  title: \"PHOTO VIEWER\"   # shown in the title bar\n"
            "  greeting: \"HELLO %{name}!\\n\"\n  quote: \"IT'S HERE\"\n  count: 3\n  enabled: true\n"
            "  menu:\n    - \"OPEN FILE\"\n    - label: \"SAVE {file}\"\n      key: \"CTRL+S\"\n"
            "  long: >\n    THIS IS A FOLDED PARAGRAPH OF TEXT.\n  literal: |\n    LINE ONE\n    LINE TWO\n"
            "  anchor: &a Something\n  ref: *a\n  multi: \"PLAIN TEXT THAT CONTINUES HERE\"\n");
  auto tab = parse_document(Format::kYaml, "a:\n\tb: c\n");
  ASSERT_FALSE(tab.ok());
  EXPECT_NE(tab.status().message().find("line 2"), std::string::npos);
  auto open_quote = parse_document(Format::kYaml, "a: \"never closed\nb: c\n");
  ASSERT_FALSE(open_quote.ok());
  EXPECT_NE(open_quote.status().message().find("unterminated"), std::string::npos);
}

namespace {

// A fake translator: uppercases, optionally dropping mask tokens on the first n calls.
struct Fake {
  int drop_first = 0;
  int calls = 0;
  std::vector<std::string> contexts;
  std::vector<float> penalties;
  Result<SegmentResult> operator()(const std::string& s, const TranslateOptions& o) {
    ++calls;
    contexts.push_back(o.context);
    penalties.push_back(o.sampling.repetition_penalty);
    SegmentResult r;
    r.source = s;
    r.output = upper(s);
    if (drop_first-- > 0) {
      std::string t;
      for (size_t i = 0; i < r.output.size(); ++i) {
        if (r.output[i] == '{') {
          while (i < r.output.size() && r.output[i] != '}') ++i;
          continue;
        }
        t += r.output[i];
      }
      r.output = t;
    }
    r.n_output_tokens = 2;
    r.mean_logprob = -0.5;
    return r;
  }
};

size_t bytes(const std::string& s) { return s.size(); }

}  // namespace

TEST(DocumentJob, LostPlaceholderRetriedThenKept) {
  auto d = parse_ok(Format::kJson, R"({"a": "Hello {name}", "b": "Bye %s"})");
  ASSERT_TRUE(d);
  Fake once;
  once.drop_first = 1;
  JobOptions jo;
  auto r = translate_document(*d, std::ref(once), bytes, jo);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(once.calls, 3);  // a, b (the first pass), then a again (the retry pass)
  EXPECT_TRUE(r->units[0].retried);
  EXPECT_FALSE(r->units[0].kept_source);
  EXPECT_FLOAT_EQ(once.penalties[1], 1.0f);
  EXPECT_FLOAT_EQ(once.penalties[2], 1.15f);  // the greedy retry decodes differently
  EXPECT_FALSE(r->checks_failed);
  EXPECT_EQ(nlohmann::json::parse(r->output), nlohmann::json::parse(R"({"a": "HELLO {name}", "b": "BYE %s"})"));

  Fake always;
  always.drop_first = 100;
  auto k = translate_document(*d, std::ref(always), bytes, jo);
  ASSERT_TRUE(k.ok());
  EXPECT_TRUE(k->checks_failed);
  EXPECT_TRUE(k->units[0].kept_source);
  ASSERT_EQ(k->units[0].problems.size(), 2u);
  EXPECT_EQ(k->units[0].problems[0].code, "lost_placeholder");
  EXPECT_EQ(k->units[0].problems[1].code, "kept_source");
  EXPECT_EQ(nlohmann::json::parse(k->output), nlohmann::json::parse(R"({"a": "Hello {name}", "b": "Bye %s"})"));
}

TEST(DocumentJob, RollingContextForProseNotForIsolatedStrings) {
  auto d = parse_ok(Format::kText, "Alpha one.\nBeta two.\n\nGamma three.\nDelta four.\n");
  ASSERT_TRUE(d);
  Fake f;
  JobOptions jo;
  jo.context_segments = 2;
  size_t progress_calls = 0;
  jo.on_progress = [&](size_t done, size_t total) {
    ++progress_calls;
    EXPECT_EQ(total, 4u);
    EXPECT_EQ(done, progress_calls);
  };
  auto r = translate_document(*d, std::ref(f), bytes, jo);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output, "ALPHA ONE.\nBETA TWO.\n\nGAMMA THREE.\nDELTA FOUR.\n");
  EXPECT_EQ(f.contexts,
            (std::vector<std::string>{"", "Alpha one.", "Alpha one.\nBeta two.", "Beta two.\nGamma three."}));
  EXPECT_EQ(progress_calls, 4u);
  EXPECT_EQ(r->units[1].confidence, -0.5);

  auto j = parse_ok(Format::kJson, R"({"a": "First string", "b": "Second string"})");
  jo.on_progress = nullptr;
  Fake g;
  ASSERT_TRUE(translate_document(*j, std::ref(g), bytes, jo).ok());
  EXPECT_EQ(g.contexts, (std::vector<std::string>{"", ""}));
}

TEST(DocumentJob, LongProseIsSplitAndPacked) {
  auto d = parse_ok(Format::kText, "  One. Two. Three.\n");
  ASSERT_TRUE(d);
  std::vector<std::string> seen;
  TranslateFn fn = [&](const std::string& s, const TranslateOptions&) -> Result<SegmentResult> {
    seen.push_back(s);
    SegmentResult r;
    r.output = "[" + s + "]";
    return r;
  };
  JobOptions jo;
  jo.segment_tokens = 6;  // tokens counted as bytes: "One. " is 5, "Three." 6, two sentences 10
  auto r = translate_document(*d, fn, bytes, jo);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"One.", "Two.", "Three."}));
  EXPECT_EQ(r->output, "  [One.] [Two.] [Three.]\n");
  EXPECT_EQ(r->units[0].n_pieces, 3u);
  jo.segment_tokens = 0;
  seen.clear();
  ASSERT_TRUE(translate_document(*d, fn, bytes, jo).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"One. Two. Three."}));
}

TEST(DocumentJob, TranslatorErrorsCarryTheUnit) {
  auto d = parse_ok(Format::kText, "a line\nanother line\n");
  TranslateFn fn = [](const std::string& s, const TranslateOptions&) -> Result<SegmentResult> {
    if (s == "another line") return internal_error("boom");
    SegmentResult r;
    r.output = s;
    return r;
  };
  auto r = translate_document(*d, fn, bytes, JobOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "line 2: boom");
}

TEST(DocumentRobustness, TruncatedInputsParseOrFailCleanlyAndRenderBack) {
  // Every prefix of each sample (cut at any byte, so inside tags, quotes, fences and UTF-8
  // sequences): parsing either fails with a status or gives a document whose identity render is
  // the prefix itself, and hostile translations render without crashing.
  const std::string yaml =
      "# c\nen:\n  a: 'It''s'\n  b: \"x\\ty {n}\"\n  list:\n    - one\n    - k: v w\n  lit: |\n    L1\n    L2\n";
  const std::string html = "<p title=\"T t\">Hi &amp; <b>bye</b><!-- c --><script>x<y</script> äö</p>";
  const std::string srt =
      "1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Hello</i>\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nÉté\r\n";
  const std::pair<Format, std::string> samples[] = {
      {Format::kMarkdown, kMarkdown}, {Format::kYaml, yaml},
      {Format::kHtml, html},          {Format::kSrt, srt},
      {Format::kText, "a\n b\n"},     {Format::kJson, R"({"a": ["x {y}", 1]})"}};
  size_t parsed = 0;
  for (const auto& [f, s] : samples) {
    for (size_t n = 0; n <= s.size(); ++n) {
      const std::string cut = s.substr(0, n);
      auto r = parse_document(f, cut);
      if (!r.ok()) {
        EXPECT_FALSE(r.status().message().empty());
        continue;
      }
      ++parsed;
      const Document& d = *r.value();
      if (f != Format::kJson) {
        EXPECT_TRUE(d.render(texts(d)) == cut) << format_name(f) << " prefix " << n;
      }
      std::vector<std::string> hostile(d.units().size(), "a\n\n--> \"'<b>&\\ |{1}\x01");
      EXPECT_FALSE(d.render(hostile).empty());
    }
  }
  EXPECT_GT(parsed, 200u);
}
