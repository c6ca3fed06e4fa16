// batch_decoder.cpp: the continuous-batching loop (see batch_decoder.h). Step time is charged to
// the runs in the step in proportion to the tokens each fed, as prefill for a prompt and as decode
// for a generated token, so the per-run times add up to the wall time.
#include "translate/batch_decoder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "model/session.h"

namespace hymt {

namespace {
double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
// log-softmax of `id` under the unmodified logits (the confidence score).
double log_softmax_at(const float* logits, int64_t n, int32_t id) {
  float mx = logits[0];
  for (int64_t i = 1; i < n; ++i) mx = std::max(mx, logits[i]);
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(logits[i] - mx));
  return static_cast<double>(logits[id] - mx) - std::log(s);
}
}  // namespace

struct BatchDecoder::Live {
  Live(const Model& m, const Tokenizer& tok, AttemptSpec sp, Done d, std::vector<int32_t> prompt_ids,
       int64_t n_ctx)
      : spec(std::move(sp)),
        done(std::move(d)),
        ids(std::move(prompt_ids)),
        session(m, n_ctx, spec.kv),
        sampler(spec.sampling, ids, m.hparams().n_vocab),
        dec(tok) {}
  AttemptSpec spec;
  Done done;
  std::vector<int32_t> ids;  // the prompt; then the one token to feed next
  Session session;
  Sampler sampler;
  StreamingDecoder dec;
  Attempt a;
  double lp = 0;
  int64_t k = 0;          // tokens generated so far
  bool prefilled = false;
  bool finished = false;
};

void BatchDecoder::submit(AttemptSpec spec, Done done) { queue_.emplace_back(std::move(spec), std::move(done)); }

// Moves queued runs into free places. Runs refused before decoding (prompt too long, tokenizer
// error) are answered at once. Returns true if a run was answered (the caller loops again).
bool BatchDecoder::admit(std::vector<std::unique_ptr<Live>>* live) {
  bool answered = false;
  while (static_cast<int>(live->size()) < max_batch_ && !queue_.empty()) {
    auto [spec, done] = std::move(queue_.front());
    queue_.pop_front();
    auto ids = tok_.encode_chat({{"user", spec.prompt.text}});
    if (!ids.ok()) {
      done(ids.status());
      answered = true;
      continue;
    }
    const int64_t n_prompt = static_cast<int64_t>(ids->size());
    if (n_prompt >= spec.n_ctx) {
      done(invalid_argument("the segment needs " + std::to_string(n_prompt) + " prompt tokens, more than n_ctx " +
                            std::to_string(spec.n_ctx)));
      answered = true;
      continue;
    }
    const int64_t budget = std::min(spec.budget, spec.n_ctx - n_prompt);
    const int64_t n_ctx = std::min<int64_t>(spec.n_ctx, n_prompt + budget);
    auto r = std::make_unique<Live>(model_, tok_, std::move(spec), std::move(done), std::move(ids).value(), n_ctx);
    r->a.prompt = r->spec.prompt;
    r->a.n_prompt_tokens = n_prompt;
    r->a.budget = budget;
    live->push_back(std::move(r));
  }
  return answered;
}

void BatchDecoder::finish(Live& r) {
  Attempt& a = r.a;
  const std::string tail = r.dec.finish();
  a.raw += tail;
  if (!tail.empty() && r.spec.stream && *r.spec.stream) (*r.spec.stream)(tail);
  a.n_output_tokens = static_cast<int64_t>(r.sampler.generated().size());
  a.mean_logprob = a.n_output_tokens == 0 ? 0.0 : r.lp / static_cast<double>(a.n_output_tokens);
  a.loop_bans = r.sampler.n_loop_bans();
  a.output = a.prompt.kind == PromptKind::kFormatted ? extract_target_text(a.raw) : a.raw;
  // The formatted answer must close its <target>; an unclosed one was cut off.
  if (a.prompt.kind == PromptKind::kFormatted && a.raw.find("<target>") != std::string::npos &&
      a.raw.find("</target>") == std::string::npos)
    a.hit_token_limit = true;
  r.finished = true;
}

void BatchDecoder::run() {
  const int64_t n_vocab = model_.hparams().n_vocab;
  std::vector<std::unique_ptr<Live>> live;
  std::vector<float> logits, work(static_cast<size_t>(n_vocab));
  std::vector<SeqBatch> batch;
  ForwardScratch scratch;
  for (;;) {
    if (admit(&live)) continue;  // answering may have queued more (a retry)
    if (live.empty()) return;
    batch.clear();
    int64_t n_tokens = 0;
    for (auto& r : live) {
      batch.push_back({&r->session, r->ids.data(), static_cast<int64_t>(r->ids.size())});
      n_tokens += static_cast<int64_t>(r->ids.size());
    }
    logits.resize(live.size() * static_cast<size_t>(n_vocab));
    const double t0 = now_ms();
    const Status st = forward_batch(batch.data(), static_cast<int>(batch.size()), pool_, scratch, logits.data(), false);
    const double step_ms = now_ms() - t0;
    if (!st.ok()) {  // an engine failure fails every run of the step
      for (auto& r : live) r->done(st);
      live.clear();
      continue;
    }
    for (size_t i = 0; i < live.size(); ++i) {
      Live& r = *live[i];
      Attempt& a = r.a;
      const double share = step_ms * static_cast<double>(r.ids.size()) / static_cast<double>(n_tokens);
      (r.prefilled ? a.decode_ms : a.prefill_ms) += share;
      r.prefilled = true;
      const float* lg = logits.data() + i * static_cast<size_t>(n_vocab);
      if (r.k >= a.budget) {  // no room for any new token
        finish(r);
        continue;
      }
      std::memcpy(work.data(), lg, static_cast<size_t>(n_vocab) * sizeof(float));
      const int32_t id = r.sampler.choose(work.data());
      if (id < 0) {
        a.loop_stopped = true;
        finish(r);
        continue;
      }
      if (tok_.is_stop(id)) {
        finish(r);
        continue;
      }
      r.lp += log_softmax_at(lg, n_vocab, id);
      r.sampler.accept(id);
      const std::string piece = r.dec.push(id);
      if (!piece.empty()) {
        a.raw += piece;
        if (r.spec.stream && *r.spec.stream) (*r.spec.stream)(piece);
      }
      if (++r.k == a.budget) {
        a.hit_token_limit = true;
        finish(r);
        continue;
      }
      r.ids.assign(1, id);
    }
    // Answer the finished runs in their order of admission (their callbacks may queue retries).
    std::vector<std::unique_ptr<Live>> still;
    std::vector<std::unique_ptr<Live>> done;
    for (auto& r : live) (r->finished ? done : still).push_back(std::move(r));
    live = std::move(still);
    for (auto& r : done) r->done(std::move(r->a));
  }
}

}  // namespace hymt
