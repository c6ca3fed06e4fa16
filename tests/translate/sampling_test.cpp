// sampling_test.cpp: the sampler against distributions computed by hand for
// small logit vectors (HF semantics, spec §7.1), seed reproducibility, draw
// frequencies, and the n-gram loop guard.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "runtime/sampling.h"

namespace hymt {
namespace {

TEST(SamplingPenalty, EachDistinctIdOnceSignAware) {
  std::vector<float> l = {2.0f, -1.0f, 0.5f, 3.0f};
  // id 0 twice and id 1 twice in the history: penalised once each; 2 and 3
  // untouched.
  apply_repetition_penalty(l.data(), 4, {0, 1, 1, 0, 99, -5}, 2.0f);
  EXPECT_FLOAT_EQ(l[0], 1.0f);   // positive: divided
  EXPECT_FLOAT_EQ(l[1], -2.0f);  // negative: multiplied
  EXPECT_FLOAT_EQ(l[2], 0.5f);
  EXPECT_FLOAT_EQ(l[3], 3.0f);
}

TEST(SamplingDistribution, TemperatureOnly) {
  // logits [2, 1, 0, -1] / T=2 -> [1, .5, 0, -.5]: softmax by hand = e^x / (e +
  // e^.5 + 1 + e^-.5).
  const float l[] = {2, 1, 0, -1};
  SamplingParams p;
  p.temperature = 2.0f;
  const auto d = sampling_distribution(l, 4, p);
  ASSERT_EQ(d.size(), 4u);
  const double z = std::exp(1.0) + std::exp(0.5) + 1.0 + std::exp(-0.5);
  EXPECT_EQ(d[0].first, 0);
  EXPECT_NEAR(d[0].second, std::exp(1.0) / z, 1e-12);   // 0.4551
  EXPECT_NEAR(d[1].second, std::exp(0.5) / z, 1e-12);   // 0.2760
  EXPECT_NEAR(d[2].second, 1.0 / z, 1e-12);             // 0.1674
  EXPECT_NEAR(d[3].second, std::exp(-0.5) / z, 1e-12);  // 0.1015
  EXPECT_NEAR(d[0].second, 0.4551, 1e-4);
}

TEST(SamplingDistribution, TopKKeepsTiesAndRenormalises) {
  const float l[] = {2, 1, 0, -1};
  SamplingParams p;
  p.temperature = 2.0f;
  p.top_k = 2;
  auto d = sampling_distribution(l, 4, p);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NEAR(d[0].second, 1.0 / (1.0 + std::exp(-0.5)), 1e-12);  // 0.6225
  EXPECT_EQ(d[1].first, 1);
  // A tie with the k-th largest stays (HF removes only values strictly below
  // it).
  const float t[] = {1, 3, 1, 0};
  p.temperature = 1.0f;
  d = sampling_distribution(t, 4, p);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].first, 1);
  EXPECT_EQ(d[1].first, 0);
  EXPECT_EQ(d[2].first, 2);
  EXPECT_NEAR(d[1].second, 1.0 / (std::exp(2.0) + 2.0), 1e-12);
}

TEST(SamplingDistribution, TopPHandComputed) {
  // softmax([2,1,0,-1]) = .6439 .2369 .0871 .0321. top_p 0.7: ascending
  // cumulative .0321 .1192 .3561: the first two are <= 0.3 and go, .3561 > 0.3
  // stays -> {0, 1} renormalised: e/(e+1), 1/(e+1).
  const float l[] = {2, 1, 0, -1};
  SamplingParams p;
  p.temperature = 1.0f;
  p.top_p = 0.7f;
  auto d = sampling_distribution(l, 4, p);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NEAR(d[0].second, std::exp(1.0) / (std::exp(1.0) + 1.0),
              1e-9);  // 0.7311
  EXPECT_NEAR(d[1].second, 1.0 / (std::exp(1.0) + 1.0), 1e-9);
  // top_p 0.6: .3561 <= 0.4 as well, so only the most likely remains.
  p.top_p = 0.6f;
  d = sampling_distribution(l, 4, p);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].first, 0);
  EXPECT_DOUBLE_EQ(d[0].second, 1.0);
  // A tiny top_p still keeps the most likely token.
  p.top_p = 0.01f;
  EXPECT_EQ(sampling_distribution(l, 4, p).size(), 1u);
}

TEST(SamplingDistribution, OfficialPresetOrderPenaltyThenWarpers) {
  // Official: penalty 1.05, T 0.7, top_k 20, top_p 0.6. Logits [1.05, 1.0] with
  // id 0 in the history: the penalty makes both 1.0, so after temperature the
  // two are equally likely (0.5 each) and top_p 0.6 keeps both (ascending
  // cumulative 0.5 > 0.4).
  SamplingParams p = SamplingParams::official();
  EXPECT_FLOAT_EQ(p.temperature, 0.7f);
  EXPECT_FLOAT_EQ(p.top_p, 0.6f);
  EXPECT_EQ(p.top_k, 20);
  EXPECT_FLOAT_EQ(p.repetition_penalty, 1.05f);
  std::vector<float> l = {1.05f, 1.0f};
  apply_repetition_penalty(l.data(), 2, {0}, p.repetition_penalty);
  const auto d = sampling_distribution(l.data(), 2, p);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NEAR(d[0].second, 0.5, 1e-6);
  EXPECT_NEAR(d[1].second, 0.5, 1e-6);
}

TEST(SamplingDistribution, MaskedLogitsNeverKept) {
  const float inf = std::numeric_limits<float>::infinity();
  const float l[] = {-inf, 0.0f, -inf};
  SamplingParams p;
  p.temperature = 1.0f;
  const auto d = sampling_distribution(l, 3, p);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].first, 1);
}

TEST(SamplingSampler, GreedyIsArgmaxAfterPenalty) {
  // Greedy: argmax; with a penalty 2 over the prompt id 0, logit 3 -> 1.5 < 2
  // so id 1 wins.
  std::vector<float> l = {3.0f, 2.0f, -1.0f};
  SamplingParams g;
  Sampler plain(g, {0}, 3);
  EXPECT_EQ(plain.choose(l.data()), 0);
  g.repetition_penalty = 2.0f;
  Sampler pen(g, {0}, 3);
  l = {3.0f, 2.0f, -1.0f};
  EXPECT_EQ(pen.choose(l.data()), 1);
}

std::vector<int32_t> draw(uint64_t seed, int n) {
  SamplingParams p;
  p.temperature = 1.0f;
  p.seed = seed;
  p.loop_guard = false;
  Sampler s(p, {}, 4);
  std::vector<int32_t> out;
  for (int i = 0; i < n; ++i) {
    std::vector<float> l = {2, 1, 0, -1};
    out.push_back(s.choose(l.data()));
  }
  return out;
}

TEST(SamplingSampler, SeedReproducibleAndFrequenciesMatch) {
  EXPECT_EQ(draw(7, 200), draw(7, 200));
  EXPECT_NE(draw(7, 200), draw(8, 200));
  // 20000 draws from softmax([2,1,0,-1]): frequencies within 0.015 of .6439
  // .2369 .0871 .0321.
  const auto v = draw(1, 20000);
  std::map<int32_t, int> c;
  for (int32_t id : v) c[id]++;
  EXPECT_NEAR(c[0] / 20000.0, 0.6439, 0.015);
  EXPECT_NEAR(c[1] / 20000.0, 0.2369, 0.015);
  EXPECT_NEAR(c[2] / 20000.0, 0.0871, 0.015);
  EXPECT_NEAR(c[3] / 20000.0, 0.0321, 0.015);
}

TEST(SamplingLoopGuard, Periods) {
  // "5 6 7" three times plus "5 6" and next 7: four copies of a 3-token unit =
  // 12 tokens -> loop.
  std::vector<int32_t> g = {5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6};
  EXPECT_EQ(loop_period(g, 7), 3);
  EXPECT_EQ(loop_period(g, 8), 0);
  // Three copies (9 tokens) of a 3-token unit are not yet a loop.
  EXPECT_EQ(loop_period({1, 5, 6, 7, 5, 6, 7, 5, 6}, 7), 0);
  // A single token needs 12 copies.
  EXPECT_EQ(loop_period(std::vector<int32_t>(10, 4), 4), 0);
  EXPECT_EQ(loop_period(std::vector<int32_t>(11, 4), 4), 1);
  // A 6-token unit three times.
  std::vector<int32_t> s = {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5};
  EXPECT_EQ(loop_period(s, 6), 6);
}

TEST(SamplingLoopGuard, BansLoopUnlessPromptRepeatsIt) {
  // Logits always favour id 1; the runner-up is id 2. After 11 ones the guard
  // bans the 12th.
  SamplingParams p;
  Sampler s(p, {9, 9}, 3);
  std::vector<int32_t> chosen;
  for (int i = 0; i < 13; ++i) {
    std::vector<float> l = {0.0f, 5.0f, 4.0f};
    const int32_t id = s.choose(l.data());
    chosen.push_back(id);
    s.accept(id);
  }
  EXPECT_EQ(std::vector<int32_t>(chosen.begin(), chosen.begin() + 11), std::vector<int32_t>(11, 1));
  EXPECT_EQ(chosen[11], 2);
  EXPECT_EQ(s.n_loop_bans(), 1);
  // The prompt holds twelve 1s in a row (e.g. a rule line in the source): no
  // ban.
  Sampler ok(p, std::vector<int32_t>(12, 1), 3);
  for (int i = 0; i < 12; ++i) {
    std::vector<float> l = {0.0f, 5.0f, 4.0f};
    const int32_t id = ok.choose(l.data());
    EXPECT_EQ(id, 1);
    ok.accept(id);
  }
  EXPECT_EQ(ok.n_loop_bans(), 0);
  // Disabled guard: never bans.
  p.loop_guard = false;
  Sampler off(p, {}, 3);
  for (int i = 0; i < 20; ++i) {
    std::vector<float> l = {0.0f, 5.0f, 4.0f};
    const int32_t id = off.choose(l.data());
    EXPECT_EQ(id, 1);
    off.accept(id);
  }
}

TEST(SamplingLoopGuard, StopsWhenStuck) {
  // A one-token vocabulary: eleven copies are fine, the twelfth closes a loop
  // and is banned, and with nothing left to choose the sampler asks the caller
  // to stop (-1).
  SamplingParams p;
  Sampler s(p, {}, 1);
  int emitted = 0;
  int32_t last = 0;
  for (int i = 0; i < 20 && last >= 0; ++i) {
    std::vector<float> l = {5.0f};
    last = s.choose(l.data());
    if (last >= 0) {
      s.accept(last);
      ++emitted;
    }
  }
  EXPECT_EQ(emitted, 11);
  EXPECT_EQ(last, -1);
  EXPECT_EQ(s.n_loop_bans(), 1);
}

}  // namespace
}  // namespace hymt

// ---- on real data: the loop guard never fires on human translations ----

#include <filesystem>
#include <fstream>

#include "shared_data.h"
#include "tokenizer/tokenizer.h"
#include "translate/languages.h"

namespace hymt {
namespace {

TEST(SamplingLoopGuard, NeverFiresOnFloresReferences) {
  HYMT_NEED_SHARED_DATA("flores200-devtest/devtest");
  // Every FLORES-200 devtest reference (38 languages x 1012 sentences),
  // tokenized with the BPE vocabulary the tokenizer tests train on FLORES, is
  // fed to the guard token by token as if the model were generating it: a guard
  // that fires on any of them would change a correct translation.
  const std::string vocab =
      (std::filesystem::path(__FILE__).parent_path().parent_path() / "tokenizer" / "data" / "flores_bpe20k.json")
          .string();
  auto tok = Tokenizer::from_hf_json(vocab);
  ASSERT_TRUE(tok.ok()) << tok.status().message();
  size_t n_tokens = 0, n_fired = 0;
  std::string example;
  for (const Language& l : hy_languages()) {
    std::ifstream f(std::string(HYMT_SHARED_DATA) + "/flores200-devtest/devtest/" + l.flores + ".devtest");
    ASSERT_TRUE(f.good()) << l.flores;
    for (std::string line; std::getline(f, line);) {
      const std::vector<int32_t> ids = tok.value()->encode(line);
      std::vector<int32_t> gen;
      for (int32_t id : ids) {
        if (loop_period(gen, id) != 0) {
          ++n_fired;
          if (example.empty()) example = l.code + ": " + line;
        }
        gen.push_back(id);
      }
      n_tokens += ids.size();
    }
  }
  EXPECT_GT(n_tokens, 1000000u);
  EXPECT_EQ(n_fired, 0u) << example;
}

}  // namespace
}  // namespace hymt
