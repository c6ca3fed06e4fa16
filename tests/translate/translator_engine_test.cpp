// translator_engine_test.cpp: Translators over one shared Engine, in several threads at once:
// every segment's result equals the same segment translated alone, and streamed text adds up to
// the output. (Run under ThreadSanitizer too: scripts/test-tsan.sh.)
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "convert/random_model.h"
#include "runtime/engine.h"
#include "translate/translator.h"

namespace hymt {
namespace {

std::shared_ptr<Engine> shared_engine(EngineOptions eo) {
  const std::string path = std::string(HYMT_TEST_TMP) + "/tr_engine.gguf";
  RandomModelConfig cfg;
  cfg.tied = false;
  cfg.n_layer = 1;
  cfg.n_threads = 1;
  cfg.seed = 5;
  EXPECT_TRUE(write_random_model(cfg, path).ok());
  auto m = Model::load(path);
  EXPECT_TRUE(m.ok());
  auto tok = Tokenizer::from_gguf(m.value()->gguf());
  EXPECT_TRUE(tok.ok());
  return std::make_shared<Engine>(std::shared_ptr<const Model>(std::move(m).value()),
                                  std::shared_ptr<const Tokenizer>(std::move(tok).value()), eo);
}

std::vector<BatchItem> items_for(int t) {
  std::vector<BatchItem> items;
  const char* texts[] = {"The first sentence.", "Another one, a little longer than the first.", "Short.",
                         "The weather is nice today.", "Numbers like 42 and 7 stay."};
  for (int i = 0; i < 5; ++i) {
    TranslateOptions o;
    o.from = find_language("en");
    o.to = find_language(t % 2 ? "fr" : "zh");
    o.max_new_tokens = 4 + (i + t) % 5;
    if ((i + t) % 3 == 0) {
      o.sampling = SamplingParams::official();
      o.sampling.seed = static_cast<uint64_t>(i * 10 + t);
    }
    items.push_back({texts[i], o});
  }
  return items;
}

TEST(TranslatorEngine, ThreadsSharingOneEngineGetTheirSoloResults) {
  EngineOptions eo;
  eo.n_threads = 2;
  eo.max_seqs = 4;
  eo.step_tokens = 32;  // prompts fed in chunks, beside other threads' decodes
  auto engine = shared_engine(eo);
  const int kThreads = 3;
  std::vector<std::vector<Result<SegmentResult>>> got(kThreads), alone(kThreads);
  {
    auto t = Translator::create(*engine);
    ASSERT_TRUE(t.ok()) << t.status().message();
    for (int k = 0; k < kThreads; ++k)
      for (const BatchItem& it : items_for(k)) alone[static_cast<size_t>(k)].push_back((*t)->translate(it.text, it.opt));
  }
  std::vector<std::thread> ts;
  std::vector<std::string> streamed(kThreads);
  for (int k = 0; k < kThreads; ++k)
    ts.emplace_back([&, k] {
      auto t = Translator::create(*engine);
      ASSERT_TRUE(t.ok());
      std::vector<BatchItem> items = items_for(k);
      // The first item streams; its pieces must add up to its output.
      items[0].opt.on_text = [&streamed, k](const std::string& s) { streamed[static_cast<size_t>(k)] += s; };
      got[static_cast<size_t>(k)] = (*t)->translate_batch(items);
    });
  for (auto& t : ts) t.join();
  size_t n_streamed = 0;
  for (const std::string& s : streamed) n_streamed += s.size();
  EXPECT_GT(n_streamed, 0u) << "nothing was streamed: the test checks nothing";
  for (int k = 0; k < kThreads; ++k) {
    const auto& g = got[static_cast<size_t>(k)];
    const auto& a = alone[static_cast<size_t>(k)];
    ASSERT_EQ(g.size(), a.size());
    for (size_t i = 0; i < g.size(); ++i) {
      ASSERT_TRUE(g[i].ok() && a[i].ok()) << k << "/" << i;
      EXPECT_EQ(g[i]->output, a[i]->output) << "thread " << k << " item " << i;
      EXPECT_EQ(g[i]->mean_logprob, a[i]->mean_logprob) << "thread " << k << " item " << i;
      EXPECT_EQ(g[i]->retried, a[i]->retried);
    }
    if (!g[0]->retried) {  // (a retry without on_retry streams nothing more)
      EXPECT_EQ(streamed[static_cast<size_t>(k)], g[0]->output) << "thread " << k;
    }
  }
}

}  // namespace
}  // namespace hymt
