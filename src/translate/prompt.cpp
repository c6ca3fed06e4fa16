// prompt.cpp: prompt texts, verbatim from the HY-MT READMEs as quoted in the spec (full-width
// "，" and "：" in the Chinese templates; the English HY-MT1.5 template says "segment").
#include "translate/prompt.h"

#include <algorithm>
#include <cctype>

namespace hymt {

bool parse_prompt_family(const std::string& s, PromptFamily* out) {
  std::string l = s;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  if (l == "hy-mt1.5" || l == "hymt1.5" || l == "1.5") {
    *out = PromptFamily::kHyMT15;
    return true;
  }
  if (l == "hy-mt2" || l == "hymt2" || l == "2") {
    *out = PromptFamily::kHyMT2;
    return true;
  }
  return false;
}

const char* prompt_family_name(PromptFamily f) { return f == PromptFamily::kHyMT2 ? "hy-mt2" : "hy-mt1.5"; }

bool is_chinese_side(const Language& l) { return l.code == "zh" || l.code == "zh-Hant" || l.code == "yue"; }

std::string translation_prompt(PromptFamily family, const Language* from, const Language& to, const std::string& source) {
  const bool chinese = is_chinese_side(to) || (from && is_chinese_side(*from));
  if (chinese) return "将以下文本翻译为" + to.chinese + "，注意只需要输出翻译后的结果，不要额外解释：\n\n" + source;
  if (family == PromptFamily::kHyMT2)
    return "Translate the following text into " + to.english +
           ". Note that you should only output the translated result without any additional explanation:\n\n" + source;
  return "Translate the following segment into " + to.english + ", without additional explanation.\n\n" + source;
}

}  // namespace hymt
