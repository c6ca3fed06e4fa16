// runtime_fixture.h: a small random-weight model shared by the runtime tests, and helpers that run
// one request alone (the reference every batched, cached or concurrent run must equal).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "model/model.h"
#include "convert/random_model.h"
#include "model/session.h"
#include "runtime/request.h"
#include "runtime/scheduler.h"

namespace hymt::test {

// Untied (a random output matrix): flat next-token distributions, so sampled runs differ by seed.
inline std::shared_ptr<const Model> runtime_model() {
  static std::shared_ptr<const Model> m;
  if (!m) {
    RandomModelConfig cfg;
    cfg.n_layer = 2;
    cfg.n_head = 4;
    cfg.n_head_kv = 2;
    cfg.tied = false;
    cfg.n_threads = 1;
    cfg.seed = 7;
    const std::string path = std::string(HYMT_TEST_TMP) + "/runtime_model.gguf";
    EXPECT_TRUE(write_random_model(cfg, path).ok());
    auto loaded = Model::load(path);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    m = std::shared_ptr<const Model>(std::move(loaded).value());
  }
  return m;
}

inline std::vector<int32_t> some_ids(int n, int salt) {
  std::vector<int32_t> v;
  for (int i = 0; i < n; ++i) v.push_back(static_cast<int32_t>(300 + (i * 37 + salt * 101) % 700));
  return v;
}

// The request run alone: its own pool and scheduler, no prefix cache, one sequence, a token
// budget that takes the whole prompt at once.
inline RequestResult run_alone(const Model& m, Request r, int threads = 1) {
  KvPool kv(m.hparams().n_layer, m.hparams().n_embd_kv(), KvType::kF16, 1024);
  ThreadPool pool(threads);
  SchedulerOptions so;
  so.max_seqs = 1;
  so.step_tokens = 4096;
  Scheduler s(m, kv, nullptr, pool, so);
  r.on_token = nullptr;
  r.cancel = nullptr;
  RequestResult out;
  bool got = false;
  s.add(
      1, std::move(r),
      [&](Result<RequestResult> res) {
        EXPECT_TRUE(res.ok()) << res.status().message();
        if (res.ok()) out = std::move(res).value();
        got = true;
      },
      steady_ms());
  while (!got) s.step();
  EXPECT_EQ(kv.n_used(), 0);
  return out;
}

}  // namespace hymt::test
