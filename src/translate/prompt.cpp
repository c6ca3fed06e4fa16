// prompt.cpp: prompt texts, verbatim from the HY-MT READMEs as quoted in spec
// §7.2/§7.3 (full-width "，" "：" "【】" in the Chinese templates; the English
// HY-MT1.5 template says "segment", Hy-MT2's "text"). Every template is built
// by concatenation, never by placeholder substitution, so user text that
// happens to contain "{source_text}" or "{{var}}" is never re-expanded, and the
// literal pieces are known (they become the instruction fragments the echo
// check looks for).
#include "translate/prompt.h"

#include <algorithm>
#include <cctype>

#include "core/utf8.h"

namespace hymt {

namespace {

// Collects the prompt text, remembering which pieces are the template's own
// words.
class Builder {
 public:
  void lit(const std::string& s) {
    text_ += s;
    size_t start = 0;
    while (start <= s.size()) {
      size_t nl = s.find('\n', start);
      if (nl == std::string::npos) nl = s.size();
      add_fragment(s.substr(start, nl - start));
      start = nl + 1;
    }
  }
  void val(const std::string& s) { text_ += s; }
  RenderedPrompt done(PromptKind kind) {
    RenderedPrompt r;
    r.kind = kind;
    r.text = std::move(text_);
    r.instruction_fragments = std::move(fragments_);
    return r;
  }

 private:
  void add_fragment(std::string f) {
    while (!f.empty() && (f.front() == ' ' || f.front() == '#')) f.erase(f.begin());
    while (!f.empty() && f.back() == ' ') f.pop_back();
    // Shorter pieces (" 翻译成 ", "1. ", "。") occur in ordinary translations.
    if (utf8_length(f) >= 6 && std::find(fragments_.begin(), fragments_.end(), f) == fragments_.end())
      fragments_.push_back(f);
  }
  std::string text_;
  std::vector<std::string> fragments_;
};

const char kZhOnlyOutput[] = "，注意只需要输出翻译后的结果，不要额外解释：";
const char kEnStrictOnly[] =
    ". Note that you must ONLY output the translated "
    "result without any additional explanation:\n\n";

void terms_block_zh(Builder& b, const PromptRequest& r) {
  b.lit("参考下面的翻译：\n");
  for (const auto& [s, t] : r.terms) {
    b.val(s);
    b.lit(" 翻译成 ");
    b.val(t);
    b.lit("\n");
  }
}

void terms_block_en(Builder& b, const PromptRequest& r) {
  b.lit("Reference the following translations:\n");
  for (const auto& [s, t] : r.terms) {
    b.val(s);
    b.lit(" translates to ");
    b.val(t);
    b.lit("\n");
  }
}

void default_prompt(Builder& b, const PromptRequest& r, bool zh) {
  const Language& to = *r.to;
  if (zh) {
    b.lit("将以下文本翻译为");
    b.val(to.chinese);
    b.lit(std::string(kZhOnlyOutput) + "\n\n");
  } else if (r.strict) {
    b.lit("Translate the following text into ");
    b.val(to.english);
    b.lit(kEnStrictOnly);
  } else if (r.family == PromptFamily::kHyMT2) {
    b.lit("Translate the following text into ");
    b.val(to.english);
    b.lit(
        ". Note that you should only output the translated result without "
        "any additional explanation:\n\n");
  } else {
    b.lit("Translate the following segment into ");
    b.val(to.english);
    b.lit(", without additional explanation.\n\n");
  }
  b.val(r.source);
}

// HY-MT1.5 context template (Chinese only). The README block ends with an empty
// line after the source; the spec quotes it with the trailing "\n", which is
// kept.
void context_prompt_15(Builder& b, const PromptRequest& r) {
  b.val(r.context);
  b.lit("\n参考上面的信息，把下面的文本翻译成");
  b.val(r.to->chinese);
  b.lit("，注意不需要翻译上文，也不要额外解释：\n");
  b.val(r.source);
  b.lit("\n");
}

void background_prompt(Builder& b, const PromptRequest& r, bool zh) {
  if (zh) {
    b.lit("【背景信息】\n");
    b.val(r.context);
    b.lit("\n\n请结合背景信息将以下文本翻译为");
    b.val(r.to->chinese);
    b.lit("。\n\n【待翻译文本】\n");
  } else {
    b.lit("[Background Information]\n");
    b.val(r.context);
    b.lit("\n\nPlease translate the following text into ");
    b.val(r.to->english);
    b.lit(
        ", taking the provided background information into "
        "consideration.\n\n[Source Text]\n");
  }
  b.val(r.source);
}

void terminology_prompt(Builder& b, const PromptRequest& r, bool zh) {
  if (r.family == PromptFamily::kHyMT15) {
    // HY-MT1.5 has only the Chinese terminology template, so it uses the
    // Chinese name.
    terms_block_zh(b, r);
    b.lit("\n将以下文本翻译为");
    b.val(r.to->chinese);
    b.lit(std::string(kZhOnlyOutput) + "\n");
  } else if (zh) {
    terms_block_zh(b, r);
    b.lit("将以下文本翻译为");
    b.val(r.to->chinese);
    b.lit(std::string(kZhOnlyOutput) + "\n\n");
  } else {
    terms_block_en(b, r);
    b.lit("\nTranslate the following text into ");
    b.val(r.to->english);
    b.lit(kEnStrictOnly);
  }
  b.val(r.source);
}

void formatted_prompt(Builder& b, const PromptRequest& r) {
  // The README hard-codes 中文 as the target; other targets take their Chinese
  // name in that slot.
  b.lit("将以下<source></source>之间的文本翻译为");
  b.val(r.to->chinese);
  b.lit(
      "，注意只需要输出翻译后的结果，不要额外解释，原文中的<sn></"
      "sn>标签表示标签内文本包含格式信息，需要在译文中相应的位置尽量"
      "保留该标签。输出格式为：<target>str</target>\n\n<source>");
  b.val(r.source);
  b.lit("</source>");
}

void style_prompt(Builder& b, const PromptRequest& r, bool zh) {
  if (zh) {
    b.lit("请将以下文本翻译为");
    b.val(r.to->chinese);
    b.lit("。\n注意翻译的风格要严格符合【");
    b.val(r.style);
    b.lit("】\n\n");
  } else {
    b.lit("Please translate the following text into ");
    b.val(r.to->english);
    b.lit(". Note that the translation style must strictly conform to [");
    b.val(r.style);
    b.lit("]:\n\n");
  }
  b.val(r.source);
}

void personalization_prompt(Builder& b, const PromptRequest& r, bool zh) {
  b.lit(zh ? "【待翻译文本】\n" : "[Source Text]\n");
  b.val(r.source);
  b.lit(zh ? "\n\n【翻译任务】\n" : "\n\n[Translation Tasks]\n");
  size_t i = 1;
  for (const std::string& p : r.preferences) {
    b.lit(std::to_string(i++) + (zh ? "、" : ". "));
    b.val(p);
    b.lit("\n");
  }
  if (zh) {
    b.lit(std::to_string(i) + "、将【待翻译文本】翻译为");
    b.val(r.to->chinese);
    b.lit("。");
  } else {
    b.lit(std::to_string(i) + ". Translate the [Source Text] into ");
    b.val(r.to->english);
    b.lit(".");
  }
}

void delimiters_prompt(Builder& b, const PromptRequest& r, bool zh) {
  if (zh) {
    b.lit("请将以下文本准确翻译为");
    b.val(r.to->chinese);
    b.lit(
        "。\n你必须在译文中保留等量的分隔符，绝对不可遗漏、转义或翻译该符号，"
        "并注意分隔符的位置。\n\n");
  } else {
    b.lit("Please accurately translate the following text into ");
    b.val(r.to->english);
    b.lit(
        ".\nYou must retain the exact same number of delimiters in the "
        "translation. Strictly do not omit, escape, or "
        "translate these symbols, and pay close attention to their "
        "placement.\n\n");
  }
  b.val(r.source);
}

// Structured data 1. The Chinese README row names {source_text} twice
// ("将下方{source_text}中的..." and under "# 数据输入"); both are filled, as
// written.
void structured_prompt(Builder& b, const PromptRequest& r, bool zh) {
  const std::string& fmt = r.structured_format;
  if (zh) {
    b.lit("# 任务目标\n将下方");
    b.val(r.source);
    b.lit("中的");
    b.val(fmt);
    b.lit("格式数据翻译为");
    b.val(r.to->chinese);
    b.lit("。\n\n# 严格约束\n1. 结构锁定：绝对保持原有的");
    b.val(fmt);
    b.lit(
        "数据结构、缩进和层级完全不变。\n2. "
        "选择性翻译：仅翻译面向用户展示的可见文本内容。\n3. "
        "禁止修改：严禁翻译或更改任何代码标签、键名 (Key)、变量占位符（如 "
        "{{var}}、${var}、%s、%d "
        "等）或代码属性。\n\n# 数据输入\n");
  } else {
    b.lit("### Task\nTranslate the user-facing text within the following ");
    b.val(fmt);
    b.lit(" data into ");
    b.val(r.to->english);
    b.lit(
        ".\n\n### Strict Rules\n1. Structure Preservation: You MUST preserve "
        "the original ");
    b.val(fmt);
    b.lit(
        " data structure, nesting, hierarchy, and indentation exactly as "
        "they are.\n2. Selective Translation: "
        "Translate ONLY the visible, user-facing text content/values.\n3. "
        "Strict Non-Translation: NEVER translate or "
        "alter code tags, keys, properties, object names, or variable "
        "placeholders. Leave them exactly in their "
        "original English/code form.\n\n### Source Data\n");
  }
  b.val(r.source);
}

}  // namespace

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

const char* prompt_kind_name(PromptKind k) {
  switch (k) {
    case PromptKind::kDefault: return "default";
    case PromptKind::kTerminology: return "terminology";
    case PromptKind::kContext: return "context";
    case PromptKind::kTermsAndContext: return "terminology+context";
    case PromptKind::kFormatted: return "formatted";
    case PromptKind::kStyle: return "style";
    case PromptKind::kPersonalization: return "personalization";
    case PromptKind::kDelimiters: return "delimiters";
    case PromptKind::kStructured: return "structured";
    case PromptKind::kBackground: return "background";
  }
  return "default";
}

bool is_chinese_side(const Language& l) { return l.code == "zh" || l.code == "zh-Hant" || l.code == "yue"; }

bool uses_chinese_prompt(const Language* from, const Language& to) {
  return is_chinese_side(to) || (from && is_chinese_side(*from));
}

PromptKind select_prompt_kind(const PromptRequest& r) {
  if (r.formatted) return PromptKind::kFormatted;
  if (!r.structured_format.empty()) return PromptKind::kStructured;
  if (r.delimiters) return PromptKind::kDelimiters;
  if (!r.preferences.empty()) return PromptKind::kPersonalization;
  if (!r.style.empty()) return PromptKind::kStyle;
  const bool ctx = !r.context.empty();
  if (!r.terms.empty()) return ctx ? PromptKind::kTermsAndContext : PromptKind::kTerminology;
  if (ctx) return r.family == PromptFamily::kHyMT2 ? PromptKind::kBackground : PromptKind::kContext;
  return PromptKind::kDefault;
}

Result<RenderedPrompt> render_prompt(const PromptRequest& r) {
  if (!r.to) return invalid_argument("no target language");
  if (r.family == PromptFamily::kHyMT15) {
    const char* what = !r.structured_format.empty() ? "structured data"
                       : r.delimiters               ? "delimiters"
                       : !r.preferences.empty()     ? "personalization"
                       : !r.style.empty()           ? "style"
                                                    : nullptr;
    if (what)
      return invalid_argument(std::string("the ") + what +
                              " prompt is a Hy-MT2 instruction; this model "
                              "uses the HY-MT1.5 prompts (use a Hy-MT2 "
                              "model or --prompt-family hy-mt2)");
  }
  const bool zh = uses_chinese_prompt(r.from, *r.to);
  const PromptKind kind = select_prompt_kind(r);
  Builder b;
  switch (kind) {
    case PromptKind::kDefault: default_prompt(b, r, zh); break;
    case PromptKind::kTerminology: terminology_prompt(b, r, zh); break;
    case PromptKind::kContext: context_prompt_15(b, r); break;
    case PromptKind::kBackground: background_prompt(b, r, zh); break;
    case PromptKind::kTermsAndContext:
      // Not an official template: the official terminology block, a blank line,
      // then the family's context template, so neither the terms nor the context
      // is dropped.
      if (r.family == PromptFamily::kHyMT15 || zh) {
        terms_block_zh(b, r);
      } else {
        terms_block_en(b, r);
      }
      b.lit("\n");
      if (r.family == PromptFamily::kHyMT15) {
        context_prompt_15(b, r);
      } else {
        background_prompt(b, r, zh);
      }
      break;
    case PromptKind::kFormatted: formatted_prompt(b, r); break;
    case PromptKind::kStyle: style_prompt(b, r, zh); break;
    case PromptKind::kPersonalization: personalization_prompt(b, r, zh); break;
    case PromptKind::kDelimiters: delimiters_prompt(b, r, zh); break;
    case PromptKind::kStructured: structured_prompt(b, r, zh); break;
  }
  return b.done(kind);
}

std::string translation_prompt(PromptFamily family, const Language* from, const Language& to,
                               const std::string& source) {
  PromptRequest r;
  r.family = family;
  r.from = from;
  r.to = &to;
  r.source = source;
  Builder b;
  default_prompt(b, r, uses_chinese_prompt(from, to));
  return b.done(PromptKind::kDefault).text;
}

std::string extract_target_text(const std::string& output) {
  const size_t open = output.find("<target>");
  if (open == std::string::npos) return output;
  const size_t begin = open + 8;
  const size_t close = output.find("</target>", begin);
  return output.substr(begin, close == std::string::npos ? std::string::npos : close - begin);
}

}  // namespace hymt
