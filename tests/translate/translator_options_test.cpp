// translator_options_test.cpp: Translator::translate() options on a generated
// random-weight model. Its output text is noise, so these tests check behaviour
// that does not depend on it: which terms reach the prompt, pass-through, the
// retry path, reproducibility per seed, option refusals and the prompt family
// read from the file's metadata.
#include <gtest/gtest.h>

#include "convert/random_model.h"
#include "translate/translator.h"

namespace hymt {
namespace {

// `tied = false` adds a random output matrix: flatter next-token distributions
// (the tied tiny model repeats its last token with p ~ 0.9, which top_p 0.6
// reduces to a single candidate).
std::string model_path(const std::string& name, bool tied = true) {
  const std::string p = std::string(HYMT_TEST_TMP) + "/tr_opts_" + name + (tied ? "" : "_untied") + ".gguf";
  RandomModelConfig cfg;
  cfg.tied = tied;
  cfg.name = name;
  cfg.n_layer = 1;
  cfg.n_threads = 1;
  cfg.seed = 11;
  EXPECT_TRUE(write_random_model(cfg, p).ok());
  return p;
}

class TranslatorOptions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = Translator::open(model_path("hymt-random"), 1);
    ASSERT_TRUE(t.ok()) << t.status().message();
    tr_ = std::move(t).value().release();
  }
  static void TearDownTestSuite() {
    delete tr_;
    tr_ = nullptr;
  }
  TranslateOptions base(const char* to) {
    TranslateOptions o;
    o.to = find_language(to);
    o.from = find_language("en");
    o.max_new_tokens = 6;
    return o;
  }
  static Translator* tr_;
};
Translator* TranslatorOptions::tr_ = nullptr;

TEST_F(TranslatorOptions, OnlyPresentGlossaryTermsReachThePrompt) {
  auto g = std::make_shared<Glossary>();
  ASSERT_TRUE(g->add("Hunyuan", "混元", false, "t").ok());
  ASSERT_TRUE(g->add("WeChat", "微信", false, "t").ok());
  ASSERT_TRUE(g->add_keep("GitHub").ok());
  TranslateOptions o = base("zh");
  o.glossary = g;
  o.checks = false;
  auto r = tr_->translate("Hunyuan is on GitHub.", o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->prompt_kind, PromptKind::kTerminology);
  EXPECT_EQ(r->prompt,
            "参考下面的翻译：\nHunyuan 翻译成 混元\nGitHub 翻译成 "
            "GitHub\n\n将以下文本翻译为中文，注意只需要输出翻译后的"
            "结果，不要额外解释："
            "\nHunyuan is on GitHub.");
  // Hits and misses cover exactly the present terms.
  EXPECT_EQ(r->glossary_hits.size() + r->glossary_misses.size(), 2u);
  // No term present: the default template.
  r = tr_->translate("Nothing to see.", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompt_kind, PromptKind::kDefault);
  EXPECT_TRUE(r->glossary_hits.empty() && r->glossary_misses.empty());
}

TEST_F(TranslatorOptions, PassThroughWhenAlreadyInTarget) {
  TranslateOptions o = base("th");
  o.from = nullptr;  // auto
  auto r = tr_->translate("สวัสดีครับ", o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->passed_through);
  EXPECT_EQ(r->output, "สวัสดีครับ");
  EXPECT_EQ(r->n_output_tokens, 0);
  // A given source language, or pass_through off, translates.
  o.pass_through = false;
  r = tr_->translate("สวัสดีครับ", o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->passed_through);
  EXPECT_GT(r->n_prompt_tokens, 0);
  // Han text is never passed through (zh / zh-Hant / yue share the script).
  TranslateOptions z = base("zh");
  z.from = nullptr;
  z.checks = false;
  r = tr_->translate("今天天气很好", z);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->passed_through);
}

TEST_F(TranslatorOptions, ChecksRetryOnceAndReport) {
  // Random weights neither stop within 6 tokens nor write Chinese, so with
  // checks on the first attempt fails (truncated at least) and is retried
  // exactly once; with checks off nothing is checked or retried.
  TranslateOptions o = base("zh");
  int prompts = 0;
  o.on_prompt = [&](const std::string&) { ++prompts; };
  auto r = tr_->translate("The weather is nice today.", o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->retried);
  EXPECT_EQ(prompts, 2);
  EXPECT_FALSE(r->problems.empty());
  o.retry = false;
  prompts = 0;
  r = tr_->translate("The weather is nice today.", o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->retried);
  EXPECT_EQ(prompts, 1);
  EXPECT_FALSE(r->problems.empty());
  o.checks = false;
  r = tr_->translate("The weather is nice today.", o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->problems.empty());
}

TEST(TranslatorOptionsSampling, ReproducibleBySeed) {
  auto t = Translator::open(model_path("hymt-random", /*tied=*/false), 1);
  ASSERT_TRUE(t.ok()) << t.status().message();
  Translator* tr_ = t.value().get();
  TranslateOptions o;
  o.to = find_language("de");
  o.from = find_language("en");
  o.checks = false;
  o.max_new_tokens = 12;
  auto g1 = tr_->translate("Hello there, how are you?", o);
  auto g2 = tr_->translate("Hello there, how are you?", o);
  ASSERT_TRUE(g1.ok() && g2.ok());
  EXPECT_EQ(g1->output, g2->output);
  o.sampling = SamplingParams::official();
  o.sampling.seed = 7;
  auto s1 = tr_->translate("Hello there, how are you?", o);
  auto s2 = tr_->translate("Hello there, how are you?", o);
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_EQ(s1->output, s2->output);
  // Other seeds give other draws: at least one of several differs from seed 7
  // and from greedy.
  bool differs = false;
  for (uint64_t seed = 8; seed < 14 && !differs; ++seed) {
    o.sampling.seed = seed;
    auto s = tr_->translate("Hello there, how are you?", o);
    ASSERT_TRUE(s.ok());
    differs = s->output != s1->output && s->output != g1->output;
  }
  EXPECT_TRUE(differs);
  o.sampling.top_p = 1.5f;
  auto bad = tr_->translate("Hi", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--top-p"), std::string::npos);
}

TEST_F(TranslatorOptions, TemplatesFromOptions) {
  TranslateOptions o = base("zh");
  o.checks = false;
  o.context = "Tom came home.";
  auto r = tr_->translate("He left.", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompt,
            "Tom came "
            "home."
            "\n参考上面的信息，把下面的文本翻译成中文，注意不需要翻"
            "译上文，也不要额外解释：\nHe left.\n");
  TranslateOptions f = base("zh");
  f.checks = false;
  r = tr_->translate("Click <sn>here</sn>",
                     f);  // <sn> selects the formatted template by itself
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompt_kind, PromptKind::kFormatted);
  // A Hy-MT2 instruction with the HY-MT1.5 family is refused, accepted after
  // switching.
  TranslateOptions s = base("zh");
  s.checks = false;
  s.style = "formal";
  auto bad = tr_->translate("Hi", s);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(tr_->family(), PromptFamily::kHyMT15);
  tr_->set_family(PromptFamily::kHyMT2);
  r = tr_->translate("Hi", s);
  tr_->set_family(PromptFamily::kHyMT15);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompt, "请将以下文本翻译为中文。\n注意翻译的风格要严格符合【formal】\n\nHi");
}

TEST(TranslatorOptionsFamily, FromMetadata) {
  auto t = Translator::open(model_path("Hy-MT2-1.8B-random"), 1);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t.value()->family(), PromptFamily::kHyMT2);
}

TEST_F(TranslatorOptions, BatchEqualsOneAtATimeAndKeepsErrorsPerItem) {
  // Sampled and greedy items, a retried one, a refused one (no target), one that fails only once
  // decoding starts (its prompt does not fit n_ctx) and a pass-through: each result must equal
  // the item translated alone, errors stay with their item, and on_done names every item once.
  std::vector<BatchItem> items;
  TranslateOptions greedy = base("de");
  greedy.max_new_tokens = 8;
  items.push_back({"The first sentence.", greedy});
  TranslateOptions sampled = base("fr");
  sampled.sampling = SamplingParams::official();
  sampled.sampling.seed = 7;
  items.push_back({"A second, longer sentence with more words.", sampled});
  TranslateOptions none = base("de");
  none.to = nullptr;
  items.push_back({"No target.", none});
  TranslateOptions tiny = base("de");
  tiny.n_ctx = 8;
  items.push_back({"This prompt cannot fit in eight positions.", tiny});
  TranslateOptions ko = base("ko");
  ko.from = nullptr;
  items.push_back({"안녕하세요", ko});
  TranslateOptions strict = base("zh");
  strict.max_new_tokens = 3;  // truncation: the translator's own retry joins the queue
  items.push_back({"Third one here, cut short.", strict});
  for (int max_batch : {1, 2, 8}) {
    tr_->set_max_batch(max_batch);
    std::vector<int> done(items.size(), 0);
    auto rs = tr_->translate_batch(items, [&](size_t i, const Result<SegmentResult>&) { ++done[i]; });
    ASSERT_EQ(rs.size(), items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      EXPECT_EQ(done[i], 1) << "item " << i << ", batch " << max_batch;
      tr_->set_max_batch(1);
      auto solo = tr_->translate(items[i].text, items[i].opt);
      tr_->set_max_batch(max_batch);
      ASSERT_EQ(rs[i].ok(), solo.ok()) << "item " << i;
      if (!solo.ok()) {
        EXPECT_EQ(rs[i].status().message(), solo.status().message());
        continue;
      }
      EXPECT_EQ(rs[i]->output, solo->output) << "item " << i << ", batch " << max_batch;
      EXPECT_EQ(rs[i]->n_output_tokens, solo->n_output_tokens);
      EXPECT_EQ(rs[i]->mean_logprob, solo->mean_logprob);
      EXPECT_EQ(rs[i]->retried, solo->retried);
    }
    EXPECT_FALSE(rs[2].ok());
    EXPECT_FALSE(rs[3].ok());
    EXPECT_NE(rs[3].status().message().find("n_ctx"), std::string::npos);
    EXPECT_TRUE(rs[4].ok() && rs[4]->passed_through);
    EXPECT_TRUE(rs[5].ok() && rs[5]->retried);
  }
  tr_->set_max_batch(8);
}

}  // namespace
}  // namespace hymt
