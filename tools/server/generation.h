// generation.h: one text generation on the engine, as the completion APIs need it. It turns the
// engine's token callbacks (on the decode thread) into text chunks that an HTTP thread takes at its
// own pace: whole UTF-8 characters only, stop strings cut out (text that might be the start of a
// stop string is held back until it is known not to be), the chosen tokens' log-probabilities
// alongside. The HTTP thread waits with a deadline and cancels on timeout or when its client has
// gone; the engine then drops the sequence at its next step. Scheduling itself is the engine's
// (src/runtime): nothing here decides what runs when.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "runtime/engine.h"
#include "tokenizer/tokenizer.h"

namespace hymt::server {

struct GenToken {
  int32_t id = 0;
  double logprob = 0;
  std::vector<TokenLogprob> top;
};

// What became available since the last take().
struct GenChunk {
  std::string text;
  std::vector<GenToken> tokens;
};

class Generation {
 public:
  // Submits `r` (its on_token is set here; its cancel flag, made when it has none, is the one
  // cancel() sets). Stop strings end the generation where one
  // first appears; the text before it is the output.
  static std::shared_ptr<Generation> start(Engine& engine, Request r, std::vector<std::string> stop_strings);

  // Waits until something is available, the generation ends, or `deadline_ms` (steady_ms clock)
  // passes; moves the new text and tokens into *c. True while more may come.
  bool take(GenChunk* c, double deadline_ms);
  // Stops the generation at the engine's next step (idempotent, any thread).
  void cancel() { cancel_->store(true); }
  const std::shared_ptr<std::atomic<bool>>& cancel_flag() const { return cancel_; }

  // True once the engine has answered (then the accessors below may be read from any thread).
  bool done();

  // After take() returned false, or done() returned true:
  const Result<RequestResult>& result() const { return result_; }
  bool hit_stop_string() const { return hit_stop_; }
  const std::string& text() const { return text_; }  // the whole output, stop string cut off
  // "stop", "length" (or "cancelled" when it was cancelled before it ended).
  std::string finish_reason() const;

 private:
  Generation(const Tokenizer& tok, std::vector<std::string> stops);
  bool on_token(const TokenEvent& e);   // decode thread
  void on_done(Result<RequestResult>);  // decode thread
  void release_safe_text();             // moves text that cannot start a stop string to the chunk

  StreamingDecoder dec_;
  std::vector<std::string> stops_;
  std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::string text_;    // decoded so far (cut at a stop string)
  size_t released_ = 0;  // bytes of text_ handed to the pending chunk
  GenChunk pending_;
  bool hit_stop_ = false, done_ = false;
  Result<RequestResult> result_ = internal_error("not finished");
};

}  // namespace hymt::server
