// translator.h: text in, translation out. A Translator owns a loaded model, its tokenizer and a
// thread pool; translate() renders the official prompt through the chat template, decodes greedily
// through the KV cache and returns the text with token counts, timing and a confidence score.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "core/thread_pool.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "translate/languages.h"
#include "translate/prompt.h"

namespace hymt {

struct TranslateOptions {
  const Language* from = nullptr;  // nullptr: detect
  const Language* to = nullptr;    // required
  int64_t max_new_tokens = 0;      // 0: 2 x source tokens + 64
  int64_t n_ctx = 4096;
  // Called with each new piece of text as soon as it is complete UTF-8 (streaming).
  std::function<void(const std::string&)> on_text;
};

struct SegmentResult {
  std::string source;
  std::string output;
  const Language* from = nullptr;  // what was used (detected or given); may be null
  int64_t n_prompt_tokens = 0;
  int64_t n_output_tokens = 0;
  double prefill_ms = 0, decode_ms = 0;
  double mean_logprob = 0;     // mean log-probability of the generated tokens (confidence)
  bool hit_token_limit = false;
};

class Translator {
 public:
  static Result<std::unique_ptr<Translator>> open(const std::string& model_path, int n_threads);

  PromptFamily family() const { return family_; }
  void set_family(PromptFamily f) { family_ = f; }
  const Model& model() const { return *model_; }
  const Tokenizer& tokenizer() const { return *tok_; }

  Result<SegmentResult> translate(const std::string& text, const TranslateOptions& opt);

 private:
  Translator() = default;
  std::unique_ptr<Model> model_;
  std::unique_ptr<Tokenizer> tok_;
  std::unique_ptr<ThreadPool> pool_;
  PromptFamily family_ = PromptFamily::kHyMT15;
};

}  // namespace hymt
