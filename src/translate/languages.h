// languages.h: the 38 HY-MT languages (spec §7.4) with their codes, FLORES-200 codes, English and
// Chinese names and common aliases. Prompts use the Chinese name in Chinese templates and the
// English name in English ones.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hymt {

struct Language {
  std::string code;     // HY-MT code: "zh", "en", "zh-Hant", "yue", ...
  std::string flores;   // FLORES-200 code: "zho_Hans", "eng_Latn", ...
  std::string english;  // "Chinese", "English", ...
  std::string chinese;  // "中文", "英语", ...
  std::vector<std::string> aliases;  // lower-case ISO 639-2/3 codes and other names
};

const std::vector<Language>& hy_languages();

// Finds a language by code, FLORES code, English or Chinese name or alias (case-insensitive for
// ASCII; "zh-TW"/"zh_Hant" style variants accepted). nullptr if it is not an HY-MT language.
const Language* find_language(const std::string& name);

// "zh, en, fr, ..." for error messages.
std::string language_code_list();

}  // namespace hymt
