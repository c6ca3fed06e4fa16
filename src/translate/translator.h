// translator.h: text in, translation out. A Translator is translation policy
// over an Engine (runtime/engine.h, which owns the model, the threads and the
// decoding): translate() picks the official prompt (family, language pair,
// glossary terms present in the segment, context, Hy-MT2 instructions),
// renders it through the chat template and tokenizes it in the caller's thread,
// has the engine decode it with the chosen sampling (greedy + loop guard by
// default), checks the output (checks.h) and retries once with a stricter
// prompt or decoding when a check fails, keeping the better attempt. Results
// carry token counts, timing, a confidence score and the problems found.
// Several Translators (threads) may share one Engine; one Translator serves
// one call at a time.
#pragma once

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "runtime/engine.h"
#include "runtime/sampling.h"
#include "tokenizer/tokenizer.h"
#include "translate/checks.h"
#include "translate/glossary.h"
#include "translate/languages.h"
#include "translate/prompt.h"

namespace hymt {

struct TranslateOptions {
  const Language* from = nullptr;  // nullptr: detect
  const Language* to = nullptr;    // required
  int64_t max_new_tokens = 0;      // 0: 2 x source tokens + 64
  int64_t n_ctx = 4096;
  // Called with each new piece of text as soon as it is complete UTF-8
  // (streaming). The text streamed since the last on_retry call is the
  // segment's output.
  std::function<void(const std::string&)> on_text;
  // Called before the text of a retry (or of the first attempt, when it wins
  // after all) is streamed again, so a terminal can start over; without it
  // nothing is re-streamed.
  std::function<void()> on_retry;
  // Called with every rendered user message (first attempt and retry):
  // --show-prompt.
  std::function<void(const std::string&)> on_prompt;

  SamplingParams sampling;  // default: greedy, no repetition penalty, loop guard
                            // on (sampling.h)
  // Preceding text for the context template (HY-MT1.5) / background template
  // (Hy-MT2); empty: none.
  std::string context;
  // Terms (including --keep terms); only those present in the segment reach its
  // prompt. Shared so that copying an options template per segment is cheap.
  std::shared_ptr<const Glossary> glossary;
  // The source carries <sn></sn> format tags: the formatted template, and the
  // output is the text inside <target></target>. Also chosen automatically when
  // the source contains "<sn>".
  bool formatted = false;
  // Hy-MT2 instructions (refused for the HY-MT1.5 family).
  std::string style;
  std::vector<std::string> preferences;
  bool delimiters = false;
  std::string structured_format;  // "JSON", "YAML", ...

  bool checks = true;  // run the output checks (checks.h)
  // Least accepted confidence (SegmentResult::mean_logprob, <= 0): below it a segment gets a
  // low_confidence problem (and the retry). NaN (default): not checked.
  double min_confidence = std::numeric_limits<double>::quiet_NaN();
  bool retry = true;         // retry once when a check fails
  bool pass_through = true;  // --from auto and the segment is already in the
                             // target language: unchanged
  // Set it (from any thread) to withdraw the call: running attempts stop at the engine's next step,
  // no new attempt starts, and the segments not finished fail with StatusCode::kCancelled.
  std::shared_ptr<std::atomic<bool>> cancel;
  // (The KV cache's element type is the engine's: EngineOptions::kv_type.)
};

// One segment of a batch.
struct BatchItem {
  std::string text;
  TranslateOptions opt;
};

struct SegmentResult {
  std::string source;
  std::string output;
  const Language* from = nullptr;  // what was used (detected or given); may be null
  int64_t n_prompt_tokens = 0;     // of the attempt kept
  int64_t n_output_tokens = 0;
  int64_t n_cached_tokens = 0;           // of the prompt tokens, reused from the engine's prefix cache
  double prefill_ms = 0, decode_ms = 0;  // all attempts together
  double mean_logprob = 0;               // mean log-probability of the generated tokens (confidence)
  bool hit_token_limit = false;

  std::string prompt;  // the rendered user message of the attempt kept
  PromptKind prompt_kind = PromptKind::kDefault;
  std::vector<Problem> problems;             // of the attempt kept; empty when the checks passed
  std::vector<std::string> glossary_hits;    // source terms whose target appears in the output
  std::vector<std::string> glossary_misses;  // source terms whose target does not
  bool retried = false;                      // a second attempt was made
  bool retry_kept = false;                   // ... and it was better, so its output is the one returned
  bool passed_through = false;               // already in the target language: returned
                                             // unchanged, no model call
  int loop_guard_bans = 0;                   // tokens the loop guard refused (attempt kept)
};

class Translator {
 public:
  // Translation over `engine` (which must outlive the Translator); its model
  // must carry an HY chat vocabulary. The prompt family comes from the file's
  // metadata (prompt_family_of).
  static Result<std::unique_ptr<Translator>> create(Engine& engine);
  // Loads a model into an engine of its own with n_threads compute threads.
  static Result<std::unique_ptr<Translator>> open(const std::string& model_path, int n_threads);
  static Result<std::unique_ptr<Translator>> open(const std::string& model_path, const EngineOptions& eo);

  PromptFamily family() const { return family_; }
  void set_family(PromptFamily f) { family_ = f; }
  const Model& model() const { return engine_->model(); }
  const Tokenizer& tokenizer() const { return *engine_->tokenizer(); }
  Engine& engine() const { return *engine_; }

  Result<SegmentResult> translate(const std::string& text, const TranslateOptions& opt);

  // Translates several segments together: up to max_batch() attempts are in
  // the engine at once (continuous batching: a finished sequence's place goes
  // to the next waiting prompt, whose prefill joins the next step, and a retry
  // joins like any prompt), so each weight is read once per step for all of
  // them. Results come back in input order, each exactly what translate()
  // gives for that segment alone; on_done(i, result) is called when item i's
  // result is final. Every callback (streaming, on_done) runs in the calling
  // thread.
  using ItemDone = std::function<void(size_t, const Result<SegmentResult>&)>;
  std::vector<Result<SegmentResult>> translate_batch(const std::vector<BatchItem>& items,
                                                     const ItemDone& on_done = nullptr);

  int max_batch() const { return max_batch_; }
  void set_max_batch(int n) { max_batch_ = n < 1 ? 1 : n; }

 private:
  struct Item;
  struct Run;
  explicit Translator(Engine& e) : engine_(&e) {}
  std::unique_ptr<Engine> owned_;  // open(): the engine this Translator made
  Engine* engine_;
  PromptFamily family_ = PromptFamily::kHyMT15;
  int max_batch_ = 8;
};

// The prompt family a model file names in its metadata: Hy-MT2 when
// general.name / basename / finetune say so ("Hy-MT2", "HY MT2 1.8B", ...),
// else HY-MT1.5.
PromptFamily prompt_family_of(const Model& m);

}  // namespace hymt
