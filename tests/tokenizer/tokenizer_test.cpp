// tokenizer_test.cpp: unit tests of the tokenizer pieces whose expected values come from outside
// the code: UTF-8 replacement examples from the Unicode standard (ch. 3, Table 3-8), pre-token
// boundaries worked out by hand from the regexes of spec §3.2, ids read from the real
// tokenizer_config.json, and loader refusals of hand-made bad files. Whole-corpus agreement with the
// reference tokenizers is tokenizer_diff.py's job.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/gguf.h"
#include "shared_data.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/hy_special_tokens.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode_class.h"
#include "tokenizer/utf8.h"

namespace hymt {
namespace {

namespace fs = std::filesystem;
const std::string kTmp = HYMT_TEST_TMP;
const std::string kConfig = std::string(HYMT_SHARED_DATA) + "/hy-mt1.5-1.8b-meta/tokenizer_config.json";
const std::string kCompact = (fs::path(__FILE__).parent_path() / "data" / "flores_bpe20k.json").string();
const std::string kFffd = "\xEF\xBF\xBD";

std::vector<std::string> pieces(PreTokenizerKind k, const std::string& s) {
  std::vector<std::pair<uint32_t, uint32_t>> r;
  pre_tokenize(k, s, &r);
  std::vector<std::string> out;
  for (auto [b, e] : r) out.push_back(s.substr(b, e - b));
  return out;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// A tokenizer.json with the 256 byte tokens, no merges, and two added tokens: every multi-byte
// character is split across tokens.
std::string bytes_only_json(const std::string& name) {
  nlohmann::json vocab = nlohmann::json::object();
  for (int b = 0; b < 256; ++b) vocab[byte_token(static_cast<uint8_t>(b))] = b;
  nlohmann::json pre = nlohmann::json::array();
  for (auto p : pre_tokenizer_patterns(PreTokenizerKind::kHunyuanDense))
    pre.push_back({{"type", "Split"}, {"pattern", {{"Regex", std::string(p)}}}, {"behavior", "Isolated"}, {"invert", false}});
  pre.push_back({{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", false}});
  nlohmann::json j = {
      {"added_tokens",
       {{{"id", 256}, {"content", "<｜hy_User｜>"}, {"special", true}},
        {{"id", 257}, {"content", "<think>"}, {"special", false}}}},
      {"normalizer", nullptr},
      {"pre_tokenizer", {{"type", "Sequence"}, {"pretokenizers", pre}}},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", nlohmann::json::array()}}}};
  const std::string path = kTmp + "/" + name;
  write_text(path, j.dump());
  return path;
}

TEST(Utf8, MaximalSubpartsAsInTheUnicodeStandard) {
  // Unicode 15 ch. 3, Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 decodes to
  // a FFFD FFFD FFFD b FFFD c FFFD FFFD d.
  EXPECT_EQ(utf8_sanitize("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
  EXPECT_EQ(utf8_sanitize("\xC0\xAF"), kFffd + kFffd);              // overlong: each byte
  EXPECT_EQ(utf8_sanitize("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // surrogate
  EXPECT_EQ(utf8_sanitize("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  EXPECT_EQ(utf8_sanitize("\xE4\xB8"), kFffd);                       // truncated: one
  EXPECT_EQ(utf8_sanitize("ok \xEF\xBF\xBD"), "ok " + kFffd);        // a real U+FFFD stays
  EXPECT_TRUE(utf8_valid("中文 ئۇيغۇر བོད 😀"));
  EXPECT_FALSE(utf8_valid("\xE4\xB8"));
  EXPECT_FALSE(utf8_valid("\xFF"));
}

TEST(Utf8, StreamNeverEmitsHalfACharacter) {
  const std::string text = "中文 ئۇيغۇرچە བོད་ཡིག 😀 a\xFF\xE4\xB8" "b \xF0\x9F\x98";
  const std::string whole = utf8_sanitize(text);
  // Every way of cutting the bytes into two or three pushes gives the same text, in valid pieces.
  for (size_t i = 0; i <= text.size(); ++i) {
    for (size_t j = i; j <= text.size(); j += 3) {
      Utf8Stream s;
      std::string out;
      for (auto part : {text.substr(0, i), text.substr(i, j - i), text.substr(j)}) {
        std::string piece = s.push(part);
        ASSERT_TRUE(utf8_valid(piece)) << i << "," << j;
        ASSERT_LE(s.pending(), 3u);
        out += piece;
      }
      out += s.finish();
      ASSERT_EQ(out, whole) << i << "," << j;
    }
  }
}

TEST(UnicodeClass, KnownCodePoints) {
  EXPECT_EQ(unicode_class('A'), kUcLetter);
  EXPECT_EQ(unicode_class('5'), kUcNumber);
  EXPECT_EQ(unicode_class('!'), kUcPunct);
  EXPECT_EQ(unicode_class('$'), kUcSymbol);
  EXPECT_EQ(unicode_class(0x0301), kUcMark);       // combining acute accent
  EXPECT_EQ(unicode_class(0x0085), kUcWhiteSpace); // NEL is White_Space (Oniguruma's \s)
  EXPECT_EQ(unicode_class(0x3000), kUcWhiteSpace);
  EXPECT_EQ(unicode_class(0xFEFF), 0);             // BOM: not \s there (JavaScript disagrees)
  EXPECT_EQ(unicode_class(0x4E00), kUcLetter);
  EXPECT_EQ(unicode_class(0x2460), kUcNumber);     // circled digit one: No
  EXPECT_EQ(unicode_class(0x1F600), kUcSymbol);    // emoji: So
  EXPECT_EQ(unicode_class(0x20000), kUcLetter);    // CJK extension B
  EXPECT_EQ(unicode_class(0x10FFFF), 0);
  EXPECT_EQ(unicode_class(0x110000), 0);
}

TEST(PreTokenizer, HunyuanDenseByHand) {
  const auto k = PreTokenizerKind::kHunyuanDense;
  using V = std::vector<std::string>;
  EXPECT_EQ(pieces(k, "Hello world"), (V{"Hello", " world"}));
  EXPECT_EQ(pieces(k, "12345"), (V{"123", "45"}));                       // \p{N}{1,3} first
  EXPECT_EQ(pieces(k, "我有3个apple"), (V{"我有", "3", "个", "apple"}));    // then CJK runs
  EXPECT_EQ(pieces(k, "abc中文def"), (V{"abc", "中文", "def"}));
  EXPECT_EQ(pieces(k, "  x"), (V{" ", " x"}));                           // \s+(?!\S) gives one back
  EXPECT_EQ(pieces(k, "x  "), (V{"x", "  "}));                           // ... unless at the end
  EXPECT_EQ(pieces(k, "a\r\n\r\nb"), (V{"a", "\r\n\r\n", "b"}));         // \s*[\r\n]+
  EXPECT_EQ(pieces(k, "a \n b"), (V{"a", " \n", " b"}));
  EXPECT_EQ(pieces(k, "Hello!!\n\nWorld"), (V{"Hello", "!!\n\n", "World"}));
  EXPECT_EQ(pieces(k, ".world $hello"), (V{".world", " $", "hello"}));  // punct+letters; " ?[P/S]+" first
  EXPECT_EQ(pieces(k, " ,x"), (V{" ,", "x"}));
  EXPECT_EQ(pieces(k, "e\xCC\x81t\xC3\xA9"), (V{"e\xCC\x81t\xC3\xA9"}));  // marks stay in words
  EXPECT_EQ(pieces(k, ""), (V{}));
}

TEST(PreTokenizer, HunyuanQwen2ByHand) {
  const auto k = PreTokenizerKind::kHunyuan;
  using V = std::vector<std::string>;
  EXPECT_EQ(pieces(k, "I'm don't"), (V{"I", "'m", " don", "'t"}));
  EXPECT_EQ(pieces(k, "abc123"), (V{"abc", "1", "2", "3"}));
  EXPECT_EQ(pieces(k, " 42"), (V{" ", "4", "2"}));
  EXPECT_EQ(pieces(k, "hi!!\n"), (V{"hi", "!!\n"}));
  EXPECT_EQ(pieces(k, "我有3个"), (V{"我有", "3", "个"}));
}

TEST(Tokenizer, StreamingDecoderOnSplitCharacters) {
  auto tok = Tokenizer::from_hf_json(bytes_only_json("bytes_only.json"));
  ASSERT_TRUE(tok.ok()) << tok.status().to_string();
  const std::string text = "ئۇيغۇرچە བོད་ཡིག 中文 😀 <think> ok";
  const std::vector<int32_t> ids = tok.value()->encode(text);
  StreamingDecoder dec(*tok.value());
  std::string out;
  int held = 0;
  for (int32_t id : ids) {
    std::string piece = dec.push(id);
    ASSERT_TRUE(utf8_valid(piece));
    if (piece.empty()) ++held;
    out += piece;
  }
  out += dec.finish();
  EXPECT_EQ(out, text);
  EXPECT_GT(held, 20);  // this vocabulary splits every non-ASCII character into byte tokens
  EXPECT_EQ(tok.value()->decode(ids), text);
}

TEST(Tokenizer, ControlTokensOnlyWhenAsked) {
  auto tok = Tokenizer::from_hf_json(bytes_only_json("bytes_only2.json"));
  ASSERT_TRUE(tok.ok()) << tok.status().to_string();
  const Tokenizer& t = *tok.value();
  EXPECT_EQ(t.encode("<｜hy_User｜>", true), (std::vector<int32_t>{256}));
  const auto plain = t.encode("<｜hy_User｜>", false);
  EXPECT_EQ(plain.size(), std::string("<｜hy_User｜>").size());  // one byte token per byte
  EXPECT_EQ(t.encode("a<think>b", false), (std::vector<int32_t>{'a', 257, 'b'}));  // user-defined
  EXPECT_EQ(t.decode({256, 'a'}, /*skip_special=*/true), "a");
  EXPECT_EQ(t.decode({256, 'a'}, false), "<｜hy_User｜>a");
  // Ill-formed input is read as U+FFFD, as a reference that takes text would receive it.
  EXPECT_EQ(t.encode("a\xFF" "b"), t.encode("a" + kFffd + "b"));
  EXPECT_EQ(t.decode({0xE4, 0xB8}), kFffd);  // half a character decodes to one U+FFFD
}

TEST(Tokenizer, StopIdsAndChatFromTheRealAddedTokens) {
  HYMT_NEED_SHARED_DATA("hy-mt1.5-1.8b-meta/tokenizer_config.json");
  auto tok = Tokenizer::from_hf_json(kCompact, kConfig);
  ASSERT_TRUE(tok.ok()) << tok.status().to_string();
  const Tokenizer& t = *tok.value();
  // Expected ids from tokenizer_config.json itself: the trained vocabulary has 20256 ordinary
  // tokens, so added token k (real id 120000 + k) has id 20256 + k.
  std::ifstream f(kConfig);
  nlohmann::json cfg = nlohmann::json::parse(f);
  auto id_of = [&](const std::string& s) {
    for (auto it = cfg["added_tokens_decoder"].begin(); it != cfg["added_tokens_decoder"].end(); ++it)
      if (it.value()["content"] == s) return 20256 + std::stoi(it.key()) - 120000;
    return -1;
  };
  const int eos = id_of("<｜hy_place▁holder▁no▁2｜>");
  std::vector<int32_t> want = {id_of("<｜hy_end▁of▁sentence｜>"), id_of("<｜hy_EOT｜>"), eos};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(t.stop_ids(), want);
  EXPECT_EQ(t.eos_id(), eos);
  EXPECT_EQ(t.chat_family(), ChatFamily::kHyDense);
  auto ids = t.encode_chat({{"user", "Hi"}});
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids.value().front(), id_of("<｜hy_begin▁of▁sentence｜>"));
  EXPECT_EQ(ids.value()[1], id_of("<｜hy_User｜>"));
  EXPECT_EQ(ids.value().back(), id_of("<｜hy_Assistant｜>"));
  EXPECT_FALSE(t.encode_chat({{"user", "a"}, {"system", "late"}}).ok());
  EXPECT_FALSE(t.encode_chat({{"tool", "x"}}).ok());
  // The rule-built table of hy_special_tokens.h agrees with the loaded file.
  const auto& rule = hy_added_tokens();
  for (size_t k = 0; k < rule.size(); ++k) {
    ASSERT_EQ(t.token_id(rule[k].text), 20256 + static_cast<int>(k)) << rule[k].text;
    ASSERT_EQ(t.token_type(20256 + static_cast<int>(k)), rule[k].special ? TokenType::kControl : TokenType::kUserDefined);
  }
}

// GGUF files with one thing wrong each; every one must be refused with a status, not a crash.
TEST(Tokenizer, GgufRefusals) {
  struct Case {
    const char* name;
    std::function<void(GgufWriter&)> edit;
  };
  auto base = [](GgufWriter& w, const std::string& model, const std::string& pre, std::vector<std::string> merges,
                 std::vector<int32_t> types) {
    std::vector<std::string> toks;
    for (int b = 0; b < 256; ++b) toks.push_back(byte_token(static_cast<uint8_t>(b)));
    toks.push_back("ab");
    w.set_string("general.architecture", "hunyuan-dense");
    w.set_string("tokenizer.ggml.model", model);
    w.set_string("tokenizer.ggml.pre", pre);
    w.set_string_array("tokenizer.ggml.tokens", toks);
    if (types.empty()) types.assign(toks.size(), 1);
    w.set_i32_array("tokenizer.ggml.token_type", types);
    w.set_string_array("tokenizer.ggml.merges", merges);
  };
  const std::vector<Case> cases = {
      {"llama model", [&](GgufWriter& w) { base(w, "llama", "hunyuan-dense", {"a b"}, {}); }},
      {"unknown pre", [&](GgufWriter& w) { base(w, "gpt2", "qwen2", {"a b"}, {}); }},
      {"merge of unknown token", [&](GgufWriter& w) { base(w, "gpt2", "hunyuan-dense", {"a zz"}, {}); }},
      {"merge result missing", [&](GgufWriter& w) { base(w, "gpt2", "hunyuan-dense", {"b c"}, {}); }},
      {"merge without space", [&](GgufWriter& w) { base(w, "gpt2", "hunyuan-dense", {"ab"}, {}); }},
      {"token types short", [&](GgufWriter& w) { base(w, "gpt2", "hunyuan-dense", {"a b"}, {1, 1, 1}); }},
      {"token type 9", [&](GgufWriter& w) { base(w, "gpt2", "hunyuan-dense", {"a b"}, std::vector<int32_t>(257, 9)); }},
      {"bos out of range", [&](GgufWriter& w) {
         base(w, "gpt2", "hunyuan-dense", {"a b"}, {});
         w.set_u32("tokenizer.ggml.bos_token_id", 5000);
       }},
  };
  for (const Case& c : cases) {
    GgufWriter w;
    c.edit(w);
    const std::string path = kTmp + "/tok_bad.gguf";
    ASSERT_TRUE(w.write(path).ok());
    auto f = GgufFile::open(path);
    ASSERT_TRUE(f.ok()) << c.name << ": " << f.status().to_string();
    auto t = Tokenizer::from_gguf(*f.value());
    EXPECT_FALSE(t.ok()) << c.name;
  }
  // And the good one loads, with the merge applied.
  GgufWriter w;
  base(w, "gpt2", "hunyuan-dense", {"a b"}, {});
  ASSERT_TRUE(w.write(kTmp + "/tok_good.gguf").ok());
  auto f = GgufFile::open(kTmp + "/tok_good.gguf");
  ASSERT_TRUE(f.ok());
  auto t = Tokenizer::from_gguf(*f.value());
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t.value()->encode("abc"), (std::vector<int32_t>{256, 'c'}));
}

TEST(Tokenizer, JsonRefusals) {
  const std::string good = bytes_only_json("json_base.json");
  std::ifstream in(good);
  const nlohmann::json base = nlohmann::json::parse(in);
  auto try_load = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = base;
    edit(j);
    write_text(kTmp + "/tok_bad.json", j.dump());
    return Tokenizer::from_hf_json(kTmp + "/tok_bad.json").ok();
  };
  EXPECT_TRUE(try_load([](nlohmann::json&) {}));
  EXPECT_FALSE(try_load([](nlohmann::json& j) { j["normalizer"] = {{"type", "NFC"}}; }));
  EXPECT_FALSE(try_load([](nlohmann::json& j) { j["model"]["type"] = "WordPiece"; }));
  EXPECT_FALSE(try_load([](nlohmann::json& j) { j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "\\d+"; }));
  EXPECT_FALSE(try_load([](nlohmann::json& j) { j["added_tokens"][0]["lstrip"] = true; }));
  EXPECT_FALSE(try_load([](nlohmann::json& j) { j["added_tokens"][1]["id"] = 5; }));  // clashes with a byte
  EXPECT_FALSE(try_load([](nlohmann::json& j) { j["model"]["merges"] = {"a zz"}; }));
  EXPECT_FALSE(try_load([](nlohmann::json& j) { j["model"]["vocab"]["x"] = "not a number"; }));
  write_text(kTmp + "/tok_bad.json", "{ not json");
  EXPECT_FALSE(Tokenizer::from_hf_json(kTmp + "/tok_bad.json").ok());
  EXPECT_FALSE(Tokenizer::from_hf_json(kTmp + "/does_not_exist.json").ok());
}

}  // namespace
}  // namespace hymt
