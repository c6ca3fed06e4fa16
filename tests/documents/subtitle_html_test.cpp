// subtitle_html_test.cpp: charset decoding, SRT/WebVTT and HTML documents: parse -> units -> render
// with identity and transformed translations; structure compared with independent expectations
// (the pysrt and bergamot files in shared/data, hand-counted cues, hand-written unit lists).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/utf8.h"
#include "translate/documents/charset.h"
#include "translate/documents/document.h"

#include "doc_test_util.h"
#include "shared_data.h"

using namespace hymt;
using namespace hymt::doc;
using hymt::doc::testing::parse_ok;
using hymt::doc::testing::texts;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
const std::string kSrt = std::string(HYMT_SHARED_DATA) + "/subtitles-pysrt/";

std::vector<std::string> upper(const Document& d) {
  std::vector<std::string> v = texts(d);
  for (auto& s : v)
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return v;
}

// Lines holding a timing arrow, and lines that are only digits (cue numbers), in order.
std::vector<std::string> timing_and_index_lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (l.find("-->") != std::string::npos ||
        (!l.empty() && std::all_of(l.begin(), l.end(), [](char c) { return c >= '0' && c <= '9'; })))
      v.push_back(l);
  }
  return v;
}

// Every "<...>" of an HTML text outside comments, in order (translations are escaped, so text never
// adds one).
std::vector<std::string> tag_sequence(const std::string& s) {
  std::vector<std::string> v;
  for (size_t i = s.find('<'); i != std::string::npos; i = s.find('<', i + 1)) {
    const size_t e = s.find('>', i);
    if (e == std::string::npos) break;
    v.push_back(s.substr(i, e - i + 1));
  }
  return v;
}

}  // namespace

TEST(DocumentCharset, BomFilesDecodeToTheUtf8Text) {
  HYMT_NEED_SHARED_DATA("subtitles-pysrt");
  const std::string want = slurp(kSrt + "bom-utf-8.srt").substr(3);  // the same text without its BOM
  const std::pair<const char*, Charset> files[] = {{"bom-utf-8.srt", Charset::kUtf8Bom},
                                                   {"bom-utf-16-le.srt", Charset::kUtf16Le},
                                                   {"bom-utf-16-be.srt", Charset::kUtf16Be},
                                                   {"bom-utf-32-le.srt", Charset::kUtf32Le},
                                                   {"bom-utf-32-be.srt", Charset::kUtf32Be}};
  for (const auto& [name, cs] : files) {
    auto d = decode_to_utf8(slurp(kSrt + name));
    ASSERT_TRUE(d.ok()) << name << ": " << d.status().message();
    EXPECT_EQ(d->charset, cs) << name;
    EXPECT_EQ(d->utf8, want) << name;
  }
}

TEST(DocumentCharset, Windows1252FallbackMatchesTheUtf8Edition) {
  HYMT_NEED_SHARED_DATA("subtitles-pysrt");
  // shared/data says utf-8.srt and windows-1252.srt hold the same French text.
  auto d = decode_to_utf8(slurp(kSrt + "windows-1252.srt"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, Charset::kWindows1252);
  // ... the windows-1252 edition with CRLF line ends.
  std::string lf;
  for (char c : d->utf8)
    if (c != '\r') lf += c;
  EXPECT_TRUE(lf == slurp(kSrt + "utf-8.srt")) << "decoded text differs (" << lf.size() << " bytes)";
  // 0x80 is the euro sign, 0x9D (undefined) maps to U+009D.
  EXPECT_EQ(decode_to_utf8(std::string("\x80\x9D", 2))->utf8, "\xE2\x82\xAC\xC2\x9D");
}

TEST(DocumentCharset, BrokenUtf16IsRefused) {
  EXPECT_FALSE(decode_to_utf8(std::string("\xFF\xFE\x41", 3)).ok());              // odd length
  EXPECT_FALSE(decode_to_utf8(std::string("\xFF\xFE\x00\xD8\x41\x00", 6)).ok());  // lone high surrogate
  auto ok = decode_to_utf8(std::string("\xFE\xFF\xD8\x3D\xDE\x00", 6));           // U+1F600, BE pair
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->utf8, "\xF0\x9F\x98\x80");
  EXPECT_FALSE(utf8_valid("\xC0\xAF"));      // overlong
  EXPECT_FALSE(utf8_valid("\xED\xA0\x80"));  // surrogate
}

TEST(DocumentFormat, DetectAndForce) {
  EXPECT_EQ(detect_format("a/b.SRT", "").value(), Format::kSrt);
  EXPECT_EQ(detect_format("x.htm", "").value(), Format::kHtml);
  EXPECT_EQ(detect_format("x.yml", "").value(), Format::kYaml);
  EXPECT_EQ(detect_format("x.md", "").value(), Format::kMarkdown);
  EXPECT_EQ(detect_format("dir.v1/readme", "").value(), Format::kText);
  EXPECT_EQ(detect_format("x.txt", "vtt").value(), Format::kVtt);
  auto bad = detect_format("x.txt", "docx");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown --format 'docx'"), std::string::npos);
}

TEST(DocumentSrt, EveryValidPysrtFileKeepsCuesIndexesAndTimings) {
  HYMT_NEED_SHARED_DATA("subtitles-pysrt");
  // Cue counts by hand from the files; units are the cues with words (utf-8.srt has two cues that
  // are only numbers, "1001..." and "1002...", and empty.srt two empty cues).
  const struct {
    const char* name;
    size_t cues, units;
  } files[] = {{"bom-utf-8.srt", 7, 7},  {"bom-utf-16-le.srt", 7, 7}, {"bom-utf-32-be.srt", 7, 7},
               {"no-indexes.srt", 7, 7}, {"empty.srt", 7, 5},         {"capability_tester.srt", 37, 37},
               {"utf-8.srt", 1332, 1330}};
  for (const auto& f : files) {
    auto dec = decode_to_utf8(slurp(kSrt + f.name));
    ASSERT_TRUE(dec.ok());
    auto d = parse_ok(Format::kSrt, dec->utf8);
    ASSERT_TRUE(d) << f.name;
    EXPECT_EQ(d->units().size(), f.units) << f.name;
    EXPECT_TRUE(d->render(texts(*d)) == dec->utf8) << f.name << ": identity render";
    const std::string out = d->render(upper(*d));
    const auto before = timing_and_index_lines(dec->utf8), after = timing_and_index_lines(out);
    EXPECT_EQ(std::count_if(before.begin(), before.end(), [](auto& l) { return l.find("-->") != std::string::npos; }),
              static_cast<long>(f.cues))
        << f.name;
    EXPECT_EQ(after, before) << f.name;
    auto again = parse_ok(Format::kSrt, out);
    ASSERT_TRUE(again) << f.name;
    EXPECT_EQ(again->units().size(), f.units) << f.name;
  }
}

TEST(DocumentSrt, InvalidAndEmptyFilesAreRefusedWithTheLine) {
  HYMT_NEED_SHARED_DATA("subtitles-pysrt");
  auto r = parse_document(Format::kSrt, slurp(kSrt + "invalid.srt"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruptFile);
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().message();
  auto e = parse_document(Format::kSrt, "");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message().rfind("nothing to translate", 0), 0u);
  auto g = parse_document(Format::kSrt, "1\n00:00:01,000 --> 00:00:02,000\nHi\n\nstray text\n");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("line 5"), std::string::npos) << g.status().message();
}

TEST(DocumentSrt, StyledCuesAndHostileTranslations) {
  const std::string src =
      "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Hello there</i>\n\n"
      "2\n00:00:03,000 --> 00:00:04,000\nShe said <b>no</b> twice\n\n"
      "3\n00:00:05,000 --> 00:00:06,000\n- Who are you?\n- Nobody.\n\n"
      "4\n00:00:07,000 --> 00:00:08,000\nOne more line\n";
  auto d = parse_ok(Format::kSrt, src);
  ASSERT_TRUE(d);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"Hello there", "She said {1}no{2} twice", "- Who are you?\n- Nobody.",
                                                 "One more line"}));
  // A translation with a blank line and a timing arrow cannot split the cue or add one.
  const std::string out = d->render({"Hallo", "Sie sagte {1}nein{2} zweimal", "- Wer?\n- Niemand.",
                                     "Eins\n\n2\n00:00:09,000 --> 00:00:10,000\nzwei"});
  EXPECT_NE(out.find("{\\an8}<i>Hallo</i>\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Sie sagte <b>nein</b> zweimal"), std::string::npos);
  EXPECT_NE(out.find("- Wer?\n- Niemand."), std::string::npos);
  auto again = parse_ok(Format::kSrt, out);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->units().size(), 4u);
  const auto lines = timing_and_index_lines(out);
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(), [](auto& l) { return l.find("-->") != std::string::npos; }), 4)
      << out;  // the timing inside the translation was defused
  // Checks: the lost tag, the blank line and the arrow are reported; the first two kinds are fatal.
  auto issues = d->check(1, "Sie sagte nein zweimal");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_TRUE(issues[0].fatal);
  auto split = d->check(3, "Eins\n\nzwei");
  ASSERT_EQ(split.size(), 1u);
  EXPECT_EQ(split[0].code, "cue_split");
}

TEST(DocumentVtt, HeaderNotesStylesAndSettingsUntouched) {
  const std::string src =
      "WEBVTT - a test\n\nNOTE This is a note\nthat spans two lines\n\nSTYLE\n::cue { color: red }\n\n"
      "intro\n00:01.000 --> 00:04.000 align:start position:10%\nWelcome to the <c.yellow>show</c>\n\n"
      "01:00:05.000 --> 01:00:07.500\n<v Bob>How are you?\n";
  auto d = parse_ok(Format::kVtt, src);
  ASSERT_TRUE(d);
  // Tags at the edges stay outside the unit; the inner <c.yellow> is masked.
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"Welcome to the {1}show", "How are you?"}));
  EXPECT_EQ(d->render(texts(*d)), src);
  const std::string out = d->render({"Willkommen zur {1}Show", "Wie geht's?"});
  EXPECT_EQ(out,
            "WEBVTT - a test\n\nNOTE This is a note\nthat spans two lines\n\nSTYLE\n::cue { color: red }\n\n"
            "intro\n00:01.000 --> 00:04.000 align:start position:10%\nWillkommen zur <c.yellow>Show</c>\n\n"
            "01:00:05.000 --> 01:00:07.500\n<v Bob>Wie geht's?\n");
  auto bad = parse_document(Format::kVtt, "1\n00:01.000 --> 00:02.000\nHi\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 1"), std::string::npos);
  auto bad_ts = parse_document(Format::kVtt, "WEBVTT\n\n00:01,000 --> 00:02.000\nHi\n");
  ASSERT_FALSE(bad_ts.ok());
  EXPECT_NE(bad_ts.status().message().find("line 3"), std::string::npos) << bad_ts.status().message();
}

TEST(DocumentHtml, BergamotPageOnlyTextIsTranslated) {
  HYMT_NEED_SHARED_DATA("html-bergamot/data/simple/bergamot.html/input.txt");
  const std::string src = slurp(std::string(HYMT_SHARED_DATA) + "/html-bergamot/data/simple/bergamot.html/input.txt");
  auto d = parse_ok(Format::kHtml, src);
  ASSERT_TRUE(d);
  // By hand from the page: script, textarea, code, comments and the empty alt are left alone;
  // inline tags split a sentence into pieces ("." alone has no words).
  const std::vector<std::string> want = {
      "The Bergamot Project",
      "The Bergamot project will add and improve client-side machine translation in a web browser.",
      "Unlike current cloud-based options, running directly on users’ machines empowers citizens to preserve their "
      "privacy and increases the uptake of language technologies in Europe in various sectors that require "
      "confidentiality. Free software integrated with an open-source web browser, such as Mozilla Firefox, will "
      "enable bottom-up adoption by non-experts, resulting in cost savings for private and public sector users who "
      "would otherwise procure translation or operate monolingually.",
      "Bergamot is a consortium coordinated by the University of Edinburgh with partners Charles University in "
      "Prague, the University of Sheffield, University of Tartu, and Mozilla.",
      "Any remarks?",
      "But this para",
      "graph should be translated. And paragraph should not be two words.",
      "This sentence starts with trans",
      "atlantic waters are cold.",
      "This sentence starts with",
      "trans",
      "atlantic waters are cold.",
      "I",
      "like",
      "to drive",
      "my car"};
  EXPECT_EQ(texts(*d), want);
  EXPECT_EQ(d->render(texts(*d)), src);
  std::vector<std::string> t = texts(*d);
  for (auto& s : t) s = "<" + s + " & co>";  // markup-looking translations must come out escaped
  const std::string out = d->render(t);
  EXPECT_EQ(tag_sequence(out), tag_sequence(src));
  EXPECT_NE(out.find("&lt;The Bergamot Project &amp; co&gt;"), std::string::npos);
  EXPECT_NE(out.find("document.title = '<Html> & entities should be ignored';"), std::string::npos);
}

TEST(DocumentHtml, TranslateNoAttributesAndEntities) {
  const std::string src =
      "<!DOCTYPE html><html><head><title>My page</title><style>p{}</style></head><body>"
      "<p>Hello <span translate=\"no\">Brand</span> world <code>x=1</code></p>"
      "<div translate=\"no\">Skip <b translate=\"yes\">Yes</b></div><p class=\"a notranslate\">Never</p>"
      "<img src=\"c.png\" alt=\"A cat\" title='Big &amp; small'><input type=submit value=Send>"
      "<p>Fish &amp; chips&nbsp;</p><pre>keep me</pre></body></html>";
  auto d = parse_ok(Format::kHtml, src);
  ASSERT_TRUE(d);
  EXPECT_EQ(texts(*d), (std::vector<std::string>{"My page", "Hello", "world", "Yes", "A cat", "Big & small", "Send",
                                                 "Fish & chips\xC2\xA0"}));
  EXPECT_EQ(d->render(texts(*d)), src);
  const std::string out = d->render(
      {"Meine Seite", "Hallo", "Welt", "Ja", "Eine \"Katze\"", "Groß & 'klein'", "Senden jetzt", "Fisch & Pommes"});
  EXPECT_EQ(out,
            "<!DOCTYPE html><html><head><title>Meine Seite</title><style>p{}</style></head><body>"
            "<p>Hallo <span translate=\"no\">Brand</span> Welt <code>x=1</code></p>"
            "<div translate=\"no\">Skip <b translate=\"yes\">Ja</b></div><p class=\"a notranslate\">Never</p>"
            "<img src=\"c.png\" alt=\"Eine &quot;Katze&quot;\" title='Groß &amp; &#39;klein&#39;'>"
            "<input type=submit value=\"Senden jetzt\">"
            "<p>Fisch &amp; Pommes</p><pre>keep me</pre></body></html>");
}
