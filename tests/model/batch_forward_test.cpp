// batch_forward_test.cpp: forward_batch (several sequences, each with its own KV cache, in one
// pass) gives every sequence bit-identical logits to running it alone, in prefill and in decode
// steps, for any thread count; the F16 KV cache stays close to the exact F32 one; bad batches are
// refused with a message.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "convert/random_model.h"
#include "model/session.h"

namespace hymt {
namespace {

const Model& tiny_model(WeightType type) {
  static std::unique_ptr<Model> models[2];
  const int slot = type == WeightType::kF32 ? 0 : 1;
  if (!models[slot]) {
    RandomModelConfig cfg;
    cfg.type = type;
    cfg.n_head = 8;
    cfg.n_head_kv = 2;  // group of 4, as in the real 1.8B model
    cfg.n_threads = 1;
    const std::string path = std::string(HYMT_TEST_TMP) + "/batch_forward_" + std::to_string(slot) + ".gguf";
    EXPECT_TRUE(write_random_model(cfg, path).ok());
    auto m = Model::load(path);
    EXPECT_TRUE(m.ok()) << m.status().message();
    models[slot] = std::move(m).value();
  }
  return *models[slot];
}

std::vector<int32_t> ids(int n, int salt) {
  std::vector<int32_t> v;
  for (int i = 0; i < n; ++i) v.push_back(static_cast<int32_t>(300 + (i * 37 + salt * 101) % 700));
  return v;
}

TEST(BatchForward, EachSequenceMatchesItsSoloRun) {
  for (WeightType type : {WeightType::kF32, WeightType::kQ8_0}) {
    const Model& m = tiny_model(type);
    const int64_t V = m.hparams().n_vocab;
    const std::vector<std::vector<int32_t>> prompts = {ids(7, 1), ids(1, 2), ids(19, 3)};
    const int steps = 4;
    // Solo: prefill then `steps` decode steps feeding fixed tokens.
    std::vector<std::vector<float>> solo;  // per sequence: prefill logits, then one row per step
    for (size_t i = 0; i < prompts.size(); ++i) {
      ThreadPool pool(1);
      Session s(m, 64);
      std::vector<float> lg(static_cast<size_t>(V)), all;
      ASSERT_TRUE(s.forward(prompts[i].data(), static_cast<int64_t>(prompts[i].size()), pool, lg.data(), false).ok());
      all = lg;
      for (int k = 0; k < steps; ++k) {
        const int32_t tok = 400 + static_cast<int32_t>(i) * 10 + k;
        ASSERT_TRUE(s.forward(&tok, 1, pool, lg.data(), false).ok());
        all.insert(all.end(), lg.begin(), lg.end());
      }
      solo.push_back(all);
    }
    for (int threads : {1, 3}) {
      ThreadPool pool(threads);
      std::vector<std::unique_ptr<Session>> ss;
      std::vector<SeqBatch> batch;
      for (const auto& p : prompts) {
        ss.push_back(std::make_unique<Session>(m, 64));
        batch.push_back({&ss.back()->kv(), p.data(), static_cast<int64_t>(p.size())});
      }
      ForwardScratch scratch;
      std::vector<float> lg(prompts.size() * static_cast<size_t>(V));
      ASSERT_TRUE(forward_batch(m, batch.data(), 3, pool, scratch, lg.data()).ok());
      for (size_t i = 0; i < prompts.size(); ++i)
        ASSERT_TRUE(std::equal(lg.begin() + static_cast<long>(i * V), lg.begin() + static_cast<long>((i + 1) * V),
                               solo[i].begin()))
            << "prefill, sequence " << i << ", " << threads << " threads";
      std::vector<int32_t> toks(prompts.size());
      for (int k = 0; k < steps; ++k) {
        // The middle sequence sits out odd steps: a batch need not hold every open sequence.
        std::vector<SeqBatch> step;
        std::vector<size_t> who;
        for (size_t i = 0; i < prompts.size(); ++i) {
          toks[i] = 400 + static_cast<int32_t>(i) * 10 + k;
          if (i == 1 && k % 2 == 1) continue;
          step.push_back({&ss[i]->kv(), &toks[i], 1});
          who.push_back(i);
        }
        ASSERT_TRUE(forward_batch(m, step.data(), static_cast<int>(step.size()), pool, scratch, lg.data()).ok());
        for (size_t j = 0; j < who.size(); ++j) {
          const size_t i = who[j];
          ASSERT_TRUE(std::equal(lg.begin() + static_cast<long>(j * V), lg.begin() + static_cast<long>((j + 1) * V),
                                 solo[i].begin() + static_cast<long>((k + 1) * V)))
              << "step " << k << ", sequence " << i << ", " << threads << " threads";
        }
        if (k % 2 == 1) {  // catch the middle sequence up, alone
          ASSERT_TRUE(ss[1]->forward(&toks[1], 1, pool, lg.data(), false).ok());
          ASSERT_TRUE(std::equal(lg.begin(), lg.begin() + V, solo[1].begin() + static_cast<long>((k + 1) * V)));
        }
      }
    }
  }
}

// A prompt in one forward pass (attention in blocks of tokens, whose rows past their own position
// get weight zero) equals the same prompt one token at a time, bit for bit. n_ctx 64 gives blocks
// of 8 tokens; n_ctx 20000 makes forward_batch shrink them to 3 (its score rows stay under 1 MiB
// per thread), so a 19-token prompt ends in a partial block either way.
TEST(BatchForward, PromptInOnePassEqualsTokenByToken) {
  for (WeightType type : {WeightType::kF32, WeightType::kQ8_0}) {
    const Model& m = tiny_model(type);
    const int64_t V = m.hparams().n_vocab;
    const std::vector<int32_t> prompt = ids(19, 5);
    for (int64_t n_ctx : {64, 20000}) {
      ThreadPool pool(2);
      Session whole(m, n_ctx), steps(m, n_ctx);
      std::vector<float> a(static_cast<size_t>(V)), b(a);
      ASSERT_TRUE(whole.forward(prompt.data(), static_cast<int64_t>(prompt.size()), pool, a.data(), false).ok());
      for (int32_t tok : prompt) ASSERT_TRUE(steps.forward(&tok, 1, pool, b.data(), false).ok());
      EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin())) << type_name(type) << " n_ctx " << n_ctx;
    }
  }
}

TEST(BatchForward, F16CacheStaysCloseToF32) {
  const Model& m = tiny_model(WeightType::kF32);
  const int64_t V = m.hparams().n_vocab;
  const std::vector<int32_t> p = ids(40, 5);
  std::vector<float> a(static_cast<size_t>(40 * V)), b(a.size());
  ThreadPool pool(2);
  Session s32(m, 40, KvType::kF32), s16(m, 40, KvType::kF16);
  ASSERT_TRUE(s32.forward(p.data(), 40, pool, a.data(), true).ok());
  ASSERT_TRUE(s16.forward(p.data(), 40, pool, b.data(), true).ok());
  double num = 0, den = 0;
  for (size_t i = 0; i < a.size(); ++i) num += (a[i] - b[i]) * (a[i] - b[i]), den += a[i] * a[i];
  const double rel = std::sqrt(num / den);
  EXPECT_GT(rel, 0.0);   // the caches really differ in precision
  EXPECT_LT(rel, 5e-3);  // fp16 keeps 11 significant bits of each cached value
}

TEST(BatchForward, RefusesBadBatches) {
  const Model& m = tiny_model(WeightType::kF32);
  ThreadPool pool(1);
  ForwardScratch scratch;
  Session a(m, 4), b(m, 4);
  const std::vector<int32_t> t = ids(3, 1);
  SeqBatch twice[2] = {{&a.kv(), t.data(), 1, 0}, {&a.kv(), t.data(), 1, 0}};
  EXPECT_FALSE(forward_batch(m, twice, 2, pool, scratch, nullptr).ok());
  SeqBatch full[2] = {{&a.kv(), t.data(), 3, 0}, {&b.kv(), t.data(), 3, 0}};
  ASSERT_TRUE(forward_batch(m, full, 2, pool, scratch, nullptr).ok());
  const Status st = forward_batch(m, full, 2, pool, scratch, nullptr);  // 3 + 3 > n_ctx 4
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("context full"), std::string::npos);
  const int32_t bad = static_cast<int32_t>(m.hparams().n_vocab);
  Session c(m, 4);
  SeqBatch oob{&c.kv(), &bad, 1, 0};
  EXPECT_FALSE(forward_batch(m, &oob, 1, pool, scratch, nullptr).ok());
  EXPECT_EQ(c.n_past(), 0);  // a refused batch changes nothing
  EXPECT_FALSE(forward_batch(m, nullptr, 0, pool, scratch, nullptr).ok());
  SeqBatch no_buffer{&c.kv(), t.data(), 2, 1};  // logits asked for, nowhere to put them
  EXPECT_FALSE(forward_batch(m, &no_buffer, 1, pool, scratch, nullptr).ok());
  SeqBatch too_many{&c.kv(), t.data(), 2, 3};
  std::vector<float> lg(static_cast<size_t>(3 * m.hparams().n_vocab));
  EXPECT_FALSE(forward_batch(m, &too_many, 1, pool, scratch, lg.data()).ok());
  EXPECT_EQ(c.n_past(), 0);
}

}  // namespace
}  // namespace hymt
