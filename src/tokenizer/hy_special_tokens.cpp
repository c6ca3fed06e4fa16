// hy_special_tokens.cpp: the added-token rule, read off tokenizer_config.json of HY-MT1.5-1.8B:
// 9 named control tokens, placeholders no_11..no_19, placeholders no_0..no_10, 15 user-defined
// tool/think tags, then placeholders no_K at offset 18 + K up to the end.
#include "tokenizer/hy_special_tokens.h"

namespace hymt {

namespace {

// U+FF5C FULLWIDTH VERTICAL LINE and U+2581 LOWER ONE EIGHTH BLOCK, as the real strings use.
const std::string kBar = "\xEF\xBD\x9C";
const std::string kSp = "\xE2\x96\x81";

std::string ctl(const std::string& inner) { return "<" + kBar + "hy_" + inner + kBar + ">"; }
std::string placeholder(int k) { return ctl("place" + kSp + "holder" + kSp + "no" + kSp + std::to_string(k)); }

std::vector<AddedToken> build() {
  std::vector<AddedToken> t;
  for (const std::string& s : {"begin" + kSp + "of" + kSp + "sentence", "end" + kSp + "of" + kSp + "sentence",
                               kSp + "pad" + kSp, "fim" + kSp + "hole", "fim" + kSp + "begin", "fim" + kSp + "end",
                               std::string("User"), std::string("Assistant"), std::string("EOT")})
    t.push_back({ctl(s), true});
  for (int k = 11; k <= 19; ++k) t.push_back({placeholder(k), true});
  for (int k = 0; k <= 10; ++k) t.push_back({placeholder(k), true});
  for (const char* s : {"<think>", "</think>", "<answer>", "</answer>", "<tool_call>", "</tool_call>",
                        "<tool_calls>", "</tool_calls>", "<tool_response>", "</tool_response>", "/think",
                        "/no_think", "<tool_responses>", "</tool_responses>", "<tool_sep>"})
    t.push_back({s, false});
  while (static_cast<int>(t.size()) < kHyNumAddedTokens) t.push_back({placeholder(static_cast<int>(t.size()) - 18), true});
  return t;
}

}  // namespace

const std::vector<AddedToken>& hy_added_tokens() {
  static const std::vector<AddedToken> tokens = build();
  return tokens;
}

}  // namespace hymt
