// request.h: the engine's unit of work, in tokens: a prompt, how to choose the next token, when to
// stop, and what comes back. Nothing here knows prompts, templates or translation checks (those are
// src/translate's); the server, the C API, the CLI and the translator all speak this.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/sampling.h"

namespace hymt {

enum class StopReason : uint8_t {
  kStopToken,  // produced one of stop_ids (not included in ids)
  kLength,     // max_new_tokens reached, or the request's n_ctx is full
  kLoop,       // the sampler's loop guard gave up (sampling.h Sampler::choose returned -1)
  kCancelled,  // cancel flag, Engine::cancel, on_token returned false, or the engine shut down
};
const char* stop_reason_name(StopReason r);

// One alternative at a generated position: an id and its log-probability (unmodified logits).
struct TokenLogprob {
  int32_t id = 0;
  double logprob = 0;
};

// What on_token receives for each chosen token.
struct TokenEvent {
  int32_t id = 0;
  double logprob = 0;                    // 0 when Request::logprobs is off
  const std::vector<TokenLogprob>* top;  // the top_logprobs most likely ids, most likely first (may be empty)
};

struct Request {
  std::vector<int32_t> prompt;  // must not be empty
  SamplingParams sampling;      // greedy + loop guard by default
  int64_t max_new_tokens = 64;  // cut to what n_ctx leaves after the prompt
  // Positions this request's KV may hold (prompt + generated); 0: the engine's default n_ctx.
  int64_t n_ctx = 0;
  std::vector<int32_t> stop_ids;  // generation ends at one of these (it is not part of the output)
  // Reuse KV blocks of an earlier request whose tokens this prompt starts with (results are the
  // same bits either way), and offer this one's blocks to later requests.
  bool prefix_cache = true;
  // Compute each chosen token's log-probability (a softmax over the whole vocabulary per token, in
  // double precision: about 120 000 exp per token on the real vocabulary). Off: logprobs stays empty
  // and on_token gets 0.
  bool logprobs = true;
  // Also keep, per generated token, the this-many most likely ids with their log-probabilities
  // (RequestResult::top_logprobs; the OpenAI API's top_logprobs). 0: none.
  int top_logprobs = 0;
  // Called on the engine's decode thread with each chosen token (and its log-probability under the
  // unmodified logits) before the next step; return false to stop (reason kCancelled). Keep it
  // short: every other request waits for it.
  std::function<bool(const TokenEvent&)> on_token;
  // Set it (from any thread) to cancel; checked at the start of each step.
  std::shared_ptr<std::atomic<bool>> cancel;
  // An opaque tag for logs (the server's request id).
  std::string tag;
};

struct RequestTimings {
  double queue_ms = 0;    // submit -> admission into a running slot
  double prefill_ms = 0;  // share of the steps that fed this request's prompt
  double decode_ms = 0;   // share of the steps that fed its generated tokens
  double ttft_ms = 0;     // submit -> first token chosen
  double total_ms = 0;    // submit -> result
};

struct RequestResult {
  std::vector<int32_t> ids;      // generated tokens, without the stop token
  std::vector<double> logprobs;  // per id: log-softmax of the unmodified logits (Request::logprobs)
  std::vector<std::vector<TokenLogprob>> top_logprobs;  // per id, when Request::top_logprobs > 0
  StopReason stop = StopReason::kLength;
  int32_t stop_id = -1;  // the stop token, for kStopToken
  int64_t n_prompt = 0;  // prompt tokens
  int64_t n_cached = 0;  // of them, taken from the prefix cache (not computed)
  int64_t budget = 0;    // max_new_tokens after the cut to n_ctx
  int loop_bans = 0;     // tokens the loop guard refused
  RequestTimings t;
};

}  // namespace hymt
