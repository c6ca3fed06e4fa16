// prompt_test.cpp: every official template against the spec's verbatim text
// (§7.2, §7.3), typed here by hand with the placeholders filled in, plus
// template selection, the naming rule and <target> extraction.
#include <gtest/gtest.h>

#include "translate/prompt.h"

namespace hymt {
namespace {

const Language& lang(const char* code) {
  const Language* l = find_language(code);
  EXPECT_NE(l, nullptr) << code;
  return *l;
}

std::string render(const PromptRequest& r, PromptKind expect_kind) {
  auto p = render_prompt(r);
  EXPECT_TRUE(p.ok()) << p.status().message();
  if (!p.ok()) return "";
  EXPECT_EQ(p->kind, expect_kind);
  return p->text;
}

PromptRequest req(PromptFamily f, const char* from, const char* to, const std::string& src) {
  PromptRequest r;
  r.family = f;
  r.from = from ? &lang(from) : nullptr;
  r.to = &lang(to);
  r.source = src;
  return r;
}

TEST(PromptHyMT15, ChineseAndEnglishDefaults) {
  EXPECT_EQ(render(req(PromptFamily::kHyMT15, "en", "zh", "It is sunny."), PromptKind::kDefault),
            "将以下文本翻译为中文，注意只需要输出翻译后的结果，不要额外解释：\n"
            "\nIt is sunny.");
  // Chinese source, English target: still the Chinese template, with the
  // Chinese name of English.
  EXPECT_EQ(render(req(PromptFamily::kHyMT15, "zh", "en", "今天天气真好。"), PromptKind::kDefault),
            "将以下文本翻译为英语，注意只需要输出翻译后的结果，不要额外解释：\n"
            "\n今天天气真好。");
  EXPECT_EQ(render(req(PromptFamily::kHyMT15, "de", "fr", "Guten Tag."), PromptKind::kDefault),
            "Translate the following segment into French, without additional "
            "explanation.\n\nGuten Tag.");
  // Unknown source, non-Chinese target: the English template.
  EXPECT_EQ(render(req(PromptFamily::kHyMT15, nullptr, "ja", "Hi"), PromptKind::kDefault),
            "Translate the following segment into Japanese, without additional "
            "explanation.\n\nHi");
  // Traditional Chinese and Cantonese count as the Chinese side.
  EXPECT_EQ(render(req(PromptFamily::kHyMT15, "en", "yue", "Hi"), PromptKind::kDefault),
            "将以下文本翻译为粤语，注意只需要输出翻译后的结果，不要额外解释：\n\nHi");
  EXPECT_EQ(translation_prompt(PromptFamily::kHyMT15, nullptr, lang("zh-Hant"), "Hi"),
            "将以下文本翻译为繁体中文，注意只需要输出翻译后的结果，不要额外解释：\n\n"
            "Hi");
}

TEST(PromptHyMT15, Terminology) {
  PromptRequest r = req(PromptFamily::kHyMT15, "en", "zh", "Hunyuan is here.");
  r.terms = {{"Hunyuan", "混元"}};
  EXPECT_EQ(render(r, PromptKind::kTerminology),
            "参考下面的翻译：\nHunyuan 翻译成 "
            "混元\n\n将以下文本翻译为中文，注意只需要输出翻译后的结果，不要额外"
            "解释：\nHunyuan is here.");
  // Two terms, non-Chinese pair: HY-MT1.5 has only the Chinese template, so the
  // Chinese name.
  PromptRequest r2 = req(PromptFamily::kHyMT15, "en", "de", "A cat and a dog.");
  r2.terms = {{"cat", "Katze"}, {"dog", "Hund"}};
  EXPECT_EQ(render(r2, PromptKind::kTerminology),
            "参考下面的翻译：\ncat 翻译成 Katze\ndog 翻译成 "
            "Hund\n\n将以下文本翻译为德语，注意只需要输出翻译后的结果，不要额外"
            "解释：\nA cat and a dog.");
}

TEST(PromptHyMT15, ContextAndFormatted) {
  PromptRequest r = req(PromptFamily::kHyMT15, "en", "zh", "He left.");
  r.context = "Tom came home.";
  EXPECT_EQ(render(r, PromptKind::kContext),
            "Tom came "
            "home."
            "\n参考上面的信息，把下面的文本翻译成中文，注意不需要翻译上文，也不"
            "要额外解释：\nHe left.\n");
  PromptRequest f = req(PromptFamily::kHyMT15, "en", "zh", "Click <sn>here</sn> now");
  f.formatted = true;
  EXPECT_EQ(render(f, PromptKind::kFormatted),
            "将以下<source></"
            "source>"
            "之间的文本翻译为中文，注意只需要输出翻译后的结果，不要额外解释，原"
            "文中的<sn></sn>标签表示标签内"
            "文本包含格式信息，需要在译文中相应的位置尽量保留该标签。输出格式为"
            "：<target>str</target>\n\n<source>Click "
            "<sn>here</sn> now</source>");
  // Terms and context together: the terminology block, a blank line, then the
  // context template.
  r.terms = {{"Tom", "汤姆"}};
  EXPECT_EQ(render(r, PromptKind::kTermsAndContext),
            "参考下面的翻译：\nTom 翻译成 汤姆\n\nTom came "
            "home."
            "\n参考上面的信息，把下面的文本翻译成中文，注意不需要翻译上文，也不"
            "要额外解释：\nHe left.\n");
}

TEST(PromptHyMT15, RefusesHyMT2OnlyInstructions) {
  PromptRequest r = req(PromptFamily::kHyMT15, "en", "zh", "x");
  r.style = "formal";
  auto p = render_prompt(r);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("Hy-MT2"), std::string::npos);
  PromptRequest none;
  EXPECT_FALSE(render_prompt(none).ok());
}

TEST(PromptHyMT2, DefaultAndStrict) {
  EXPECT_EQ(render(req(PromptFamily::kHyMT2, "en", "zh", "Hello"), PromptKind::kDefault),
            "将以下文本翻译为中文，注意只需要输出翻译后的结果，不要额外解释：\n"
            "\nHello");
  EXPECT_EQ(render(req(PromptFamily::kHyMT2, "en", "fr", "Hello"), PromptKind::kDefault),
            "Translate the following text into French. Note that you should "
            "only output the translated result without any "
            "additional explanation:\n\nHello");
  PromptRequest s = req(PromptFamily::kHyMT15, "en", "fr", "Hello");
  s.strict = true;
  EXPECT_EQ(render(s, PromptKind::kDefault),
            "Translate the following text into French. Note that you must ONLY "
            "output the translated result without any "
            "additional explanation:\n\nHello");
}

TEST(PromptHyMT2, Terminology) {
  PromptRequest zh = req(PromptFamily::kHyMT2, "en", "zh", "Use Hunyuan and WeChat.");
  zh.terms = {{"Hunyuan", "混元"}, {"WeChat", "微信"}};
  EXPECT_EQ(render(zh, PromptKind::kTerminology),
            "参考下面的翻译：\nHunyuan 翻译成 混元\nWeChat 翻译成 "
            "微信\n将以下文本翻译为中文，注意只需要输出翻译后的结果，不要额外解释："
            "\n\nUse Hunyuan and WeChat.");
  PromptRequest en = req(PromptFamily::kHyMT2, "en", "de", "A cat.");
  en.terms = {{"cat", "Katze"}};
  EXPECT_EQ(render(en, PromptKind::kTerminology),
            "Reference the following translations:\ncat translates to "
            "Katze\n\nTranslate the following text into German. Note "
            "that you must ONLY output the translated result without any "
            "additional explanation:\n\nA cat.");
}

TEST(PromptHyMT2, StylePersonalizationDelimiters) {
  PromptRequest s = req(PromptFamily::kHyMT2, "en", "zh", "Hi");
  s.style = "正式";
  EXPECT_EQ(render(s, PromptKind::kStyle), "请将以下文本翻译为中文。\n注意翻译的风格要严格符合【正式】\n\nHi");
  PromptRequest se = req(PromptFamily::kHyMT2, "en", "es", "Hi");
  se.style = "formal";
  EXPECT_EQ(render(se, PromptKind::kStyle),
            "Please translate the following text into Spanish. Note that the "
            "translation style must strictly conform to "
            "[formal]:\n\nHi");

  PromptRequest p = req(PromptFamily::kHyMT2, "zh", "en", "你好");
  p.preferences = {"使用美式拼写", "语气友好"};
  EXPECT_EQ(render(p, PromptKind::kPersonalization),
            "【待翻译文本】\n你好\n\n【翻译任务】\n1、使用美式拼写\n2、语气友好"
            "\n3、将【待翻译文本】翻译为英语。");
  PromptRequest pe = req(PromptFamily::kHyMT2, "en", "it", "Hi");
  pe.preferences = {"Be brief", "Be polite"};
  EXPECT_EQ(render(pe, PromptKind::kPersonalization),
            "[Source Text]\nHi\n\n[Translation Tasks]\n1. Be brief\n2. Be "
            "polite\n3. Translate the [Source Text] into Italian.");

  PromptRequest d = req(PromptFamily::kHyMT2, "en", "zh", "a|b");
  d.delimiters = true;
  EXPECT_EQ(render(d, PromptKind::kDelimiters),
            "请将以下文本准确翻译为中文。\n你必须在译文中保留等量的分隔符，绝对"
            "不可遗漏、转义或翻译该符号，并注意分隔符的位置。\n\na|b");
  PromptRequest de = req(PromptFamily::kHyMT2, "en", "fr", "a|b");
  de.delimiters = true;
  EXPECT_EQ(render(de, PromptKind::kDelimiters),
            "Please accurately translate the following text into French.\nYou "
            "must retain the exact same number of "
            "delimiters in the translation. Strictly do not omit, escape, or "
            "translate these symbols, and pay close "
            "attention to their placement.\n\na|b");
}

TEST(PromptHyMT2, StructuredAndBackground) {
  PromptRequest s = req(PromptFamily::kHyMT2, "en", "zh", "{\"k\": \"Hi\"}");
  s.structured_format = "JSON";
  EXPECT_EQ(render(s, PromptKind::kStructured),
            "# 任务目标\n将下方{\"k\": "
            "\"Hi\"}中的JSON格式数据翻译为中文。\n\n# 严格约束\n1. "
            "结构锁定：绝对保持原有的JSON数据结构、缩进和层级完全不变。\n2. "
            "选择性翻译：仅翻译面向用户展示的可见文本内容。\n3. "
            "禁止修改：严禁翻译或更改任何代码标签、键名 (Key)、变量占位符（如 "
            "{{var}}、${var}、%s、%d 等）或代码属性。\n\n# 数据输入\n"
            "{\"k\": \"Hi\"}");
  PromptRequest se = req(PromptFamily::kHyMT2, "en", "de", "k: Hi");
  se.structured_format = "YAML";
  EXPECT_EQ(render(se, PromptKind::kStructured),
            "### Task\nTranslate the user-facing text within the following "
            "YAML data into German.\n\n### Strict Rules\n1. "
            "Structure Preservation: You MUST preserve the original YAML data "
            "structure, nesting, hierarchy, and "
            "indentation exactly as they are.\n2. Selective Translation: "
            "Translate ONLY the visible, user-facing text "
            "content/values.\n3. Strict Non-Translation: NEVER translate or "
            "alter code tags, keys, properties, object "
            "names, or variable placeholders. Leave them exactly in their "
            "original English/code form.\n\n### Source "
            "Data\nk: Hi");
  PromptRequest b = req(PromptFamily::kHyMT2, "en", "zh", "He left.");
  b.context = "Tom came home.";
  EXPECT_EQ(render(b, PromptKind::kBackground),
            "【背景信息】\nTom came "
            "home.\n\n请结合背景信息将以下文本翻译为中文。\n\n【待翻译文本】\nHe "
            "left.");
  PromptRequest be = req(PromptFamily::kHyMT2, "en", "ru", "He left.");
  be.context = "Tom came home.";
  EXPECT_EQ(render(be, PromptKind::kBackground),
            "[Background Information]\nTom came home.\n\nPlease translate the "
            "following text into Russian, taking the "
            "provided background information into consideration.\n\n[Source "
            "Text]\nHe left.");
}

TEST(PromptSelection, PrecedenceAndFragments) {
  PromptRequest r = req(PromptFamily::kHyMT2, "en", "zh", "x");
  r.terms = {{"x", "y"}};
  r.style = "s";
  EXPECT_EQ(select_prompt_kind(r), PromptKind::kStyle);
  r.formatted = true;
  EXPECT_EQ(select_prompt_kind(r), PromptKind::kFormatted);
  // User text that looks like a placeholder is never expanded.
  PromptRequest u = req(PromptFamily::kHyMT15, "en", "zh", "{source_text} {target_language}");
  auto p = render_prompt(u);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->text,
            "将以下文本翻译为中文，注意只需要输出翻译后的结果，不要额"
            "外解释：\n\n{source_text} {target_language}");
  // The instruction fragments are the template's sentences, not the user's text
  // or the language name.
  ASSERT_EQ(p->instruction_fragments.size(), 2u);
  EXPECT_EQ(p->instruction_fragments[0], "将以下文本翻译为");
  EXPECT_EQ(p->instruction_fragments[1], "，注意只需要输出翻译后的结果，不要额外解释：");
}

TEST(PromptSelection, FamilyNames) {
  PromptFamily f;
  EXPECT_TRUE(parse_prompt_family("HY-MT2", &f));
  EXPECT_EQ(f, PromptFamily::kHyMT2);
  EXPECT_TRUE(parse_prompt_family("hy-mt1.5", &f));
  EXPECT_EQ(f, PromptFamily::kHyMT15);
  EXPECT_FALSE(parse_prompt_family("gpt", &f));
}

TEST(PromptFormatted, ExtractTarget) {
  EXPECT_EQ(extract_target_text("<target>点击<sn>这里</sn></target>"), "点击<sn>这里</sn>");
  EXPECT_EQ(extract_target_text("noise <target>abc</target> tail"), "abc");
  EXPECT_EQ(extract_target_text("<target>unfinished"), "unfinished");
  EXPECT_EQ(extract_target_text("plain"), "plain");
}

}  // namespace
}  // namespace hymt
