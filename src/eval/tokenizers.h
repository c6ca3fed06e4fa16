// tokenizers.h: sacreBLEU 2.x's BLEU tokenizers, reimplemented from their definitions: 13a (mteval-v13a
// punctuation rules), zh (13a rules after spacing out each character of sacreBLEU's "Chinese" ranges,
// quirks included), intl (mteval-v14 international: Unicode punctuation and symbols), char (every
// code point a token) and none. Input and output are code points; outputs are single-space joined.
// ja-mecab / ko-mecab are named so that they can be refused with the reason (see docs/eval.md).
#pragma once

#include <optional>
#include <string>

#include "eval/text.h"

namespace hymt::eval {

enum class TokenizerKind { k13a, kZh, kIntl, kChar, kNone, kJaMecab, kKoMecab };

// "13a", "zh", "intl", "char", "none", "ja-mecab", "ko-mecab"; nullopt for anything else.
std::optional<TokenizerKind> parse_tokenizer(const std::string& name);
// The name in signatures ("13a", "zh", ...).
const char* tokenizer_name(TokenizerKind k);
// Whether this build can run it (false for the MeCab ones), and why not.
bool tokenizer_available(TokenizerKind k, std::string* why);

// sacreBLEU's default for a target language code: zh (also zh-Hant, yue) -> zh, ja -> ja-mecab,
// ko -> ko-mecab, everything else 13a.
TokenizerKind default_tokenizer_for(const std::string& target_lang);

U32 tokenize_13a(const U32& line);
U32 tokenize_zh(const U32& line);
U32 tokenize_intl(const U32& line);
U32 tokenize_char(const U32& line);
// Dispatch (kNone returns the line unchanged; MeCab kinds must be refused before).
U32 tokenize(TokenizerKind k, const U32& line);

}  // namespace hymt::eval
