// pretokenizer.h: the regex pre-tokenizers of the HY tokenizers (spec §3.2), written as direct
// matchers that reproduce the reference regexes' leftmost-first, backtracking semantics exactly
// (Hugging Face tokenizers runs them on Oniguruma; see docs/tokenizer.md for why not a regex
// library). Each regex splits "Isolated": matches and the gaps between them both become pieces, and
// `hunyuan-dense` applies its three regexes one after another, each to the pieces of the last.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace hymt {

enum class PreTokenizerKind {
  kHunyuanDense,  // 1.8B family: \p{N}{1,3}, then CJK/kana runs, then the letters/punct/space regex
  kHunyuan,       // 7B family: the Qwen2 regex (single digits)
};

const char* pre_tokenizer_name(PreTokenizerKind k);  // the GGUF tokenizer.ggml.pre value
std::optional<PreTokenizerKind> parse_pre_tokenizer_name(std::string_view name);

// The regex patterns as Hugging Face tokenizer.json spells them, in order (for recognising a
// tokenizer.json and for docs).
const std::vector<std::string_view>& pre_tokenizer_patterns(PreTokenizerKind k);

// Splits `text` (valid UTF-8) into pieces, appended to `pieces` as byte ranges [first, second) in
// text order; together they cover the text exactly.
void pre_tokenize(PreTokenizerKind kind, std::string_view text,
                  std::vector<std::pair<uint32_t, uint32_t>>* pieces);

}  // namespace hymt
