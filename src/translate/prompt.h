// prompt.h: the official translation prompts (spec §7.2 HY-MT1.5, §7.3 Hy-MT2). The template is
// chosen by model family and language pair: if either side is Chinese (zh, zh-Hant, yue) the Chinese
// template with the target's Chinese name, otherwise the English template with its English name.
#pragma once

#include <string>

#include "translate/languages.h"

namespace hymt {

enum class PromptFamily { kHyMT15, kHyMT2 };

// "hy-mt1.5" / "hy-mt2" (case-insensitive); nullopt-like false on anything else.
bool parse_prompt_family(const std::string& s, PromptFamily* out);
const char* prompt_family_name(PromptFamily f);

bool is_chinese_side(const Language& l);

// The user message for translating `source` from `from` (may be null: unknown) into `to`.
std::string translation_prompt(PromptFamily family, const Language* from, const Language& to, const std::string& source);

}  // namespace hymt
