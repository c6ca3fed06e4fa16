// batch_decoder.h: decodes many prompts at once with continuous batching. Each queued run gets its
// own Session (KV cache); every step is one forward_batch over the live runs, the runs that just
// joined contributing their whole prompt (prefill) and the others their last token, so each weight
// is read once per step for all of them. A finished run frees its place for the next queued one.
// A run's tokens are exactly those of the same run decoded alone (forward_batch is batch-invariant
// and every run has its own sampler).
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "translate/checks.h"
#include "translate/prompt.h"
#include "translate/sampling.h"

namespace hymt {

// One decoding run of one rendered prompt.
struct Attempt {
  RenderedPrompt prompt;
  std::string raw;     // everything the model produced
  std::string output;  // raw, or the text inside <target> for the formatted template
  int64_t n_prompt_tokens = 0, n_output_tokens = 0, budget = 0;
  double prefill_ms = 0, decode_ms = 0, mean_logprob = 0;
  bool hit_token_limit = false, loop_stopped = false;
  int loop_bans = 0;
  std::vector<Problem> problems;
};

struct AttemptSpec {
  RenderedPrompt prompt;
  SamplingParams sampling;
  int64_t budget = 0;  // new tokens at most (cut to what n_ctx leaves)
  int64_t n_ctx = 4096;
  KvType kv = KvType::kF16;
  // Receives the text as it appears (may be null or empty).
  const std::function<void(const std::string&)>* stream = nullptr;
};

class BatchDecoder {
 public:
  using Done = std::function<void(Result<Attempt>)>;
  BatchDecoder(const Model& model, const Tokenizer& tok, ThreadPool& pool, int max_batch)
      : model_(model), tok_(tok), pool_(pool), max_batch_(max_batch < 1 ? 1 : max_batch) {}

  // Queues a run; `done` is called from inside run() with its result, and may queue more runs.
  void submit(AttemptSpec spec, Done done);
  // Decodes until no run is queued or live.
  void run();

 private:
  struct Live;
  bool admit(std::vector<std::unique_ptr<Live>>* live);
  void finish(Live& r);

  const Model& model_;
  const Tokenizer& tok_;
  ThreadPool& pool_;
  int max_batch_;
  std::deque<std::pair<AttemptSpec, Done>> queue_;
};

}  // namespace hymt
