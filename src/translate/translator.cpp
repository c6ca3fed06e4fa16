// translator.cpp: one segment at a time: prompt -> chat ids -> prefill -> greedy decode until a
// stop id or the token budget. The confidence is the mean log-softmax of the chosen tokens.
#include "translate/translator.h"

#include <chrono>
#include <cmath>

#include "model/session.h"
#include "runtime/generate.h"
#include "translate/detect.h"

namespace hymt {

namespace {
double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double log_softmax_at(const std::vector<float>& logits, int32_t id) {
  float mx = logits[0];
  for (float v : logits) mx = std::max(mx, v);
  double s = 0;
  for (float v : logits) s += std::exp(static_cast<double>(v - mx));
  return static_cast<double>(logits[static_cast<size_t>(id)] - mx) - std::log(s);
}
}  // namespace

Result<std::unique_ptr<Translator>> Translator::open(const std::string& model_path, int n_threads) {
  std::unique_ptr<Translator> t(new Translator());
  HYMT_ASSIGN_OR_RETURN(t->model_, Model::load(model_path));
  auto tok = Tokenizer::from_gguf(t->model_->gguf());
  if (!tok.ok()) return tok.status().with_context(model_path);
  t->tok_ = std::move(tok).value();
  if (t->tok_->chat_family() == ChatFamily::kNone)
    return unsupported(model_path + ": the vocabulary has no HY chat-template tokens");
  // Family from the file's name: the Hy-MT2 files say so in general.name / basename.
  if (const GgufValue* name = t->model_->gguf().find("general.name"))
    if (name->type == GgufType::kString && (name->s.find("MT2") != std::string::npos || name->s.find("mt2") != std::string::npos))
      t->family_ = PromptFamily::kHyMT2;
  t->pool_ = std::make_unique<ThreadPool>(n_threads);
  return t;
}

Result<SegmentResult> Translator::translate(const std::string& text, const TranslateOptions& opt) {
  if (!opt.to) return invalid_argument("no target language");
  SegmentResult r;
  r.source = text;
  r.from = opt.from ? opt.from : detect_language_by_script(text);
  const std::string prompt = translation_prompt(family_, r.from, *opt.to, text);
  HYMT_ASSIGN_OR_RETURN(std::vector<int32_t> ids, tok_->encode_chat({{"user", prompt}}));
  r.n_prompt_tokens = static_cast<int64_t>(ids.size());
  const int64_t src_tokens = static_cast<int64_t>(tok_->encode(text).size());
  int64_t budget = opt.max_new_tokens > 0 ? opt.max_new_tokens : 2 * src_tokens + 64;
  if (r.n_prompt_tokens >= opt.n_ctx)
    return invalid_argument("the segment needs " + std::to_string(r.n_prompt_tokens) + " prompt tokens, more than n_ctx " +
                            std::to_string(opt.n_ctx));
  budget = std::min(budget, opt.n_ctx - r.n_prompt_tokens);

  Session s(*model_, std::min<int64_t>(opt.n_ctx, r.n_prompt_tokens + budget));
  const int64_t n_vocab = model_->hparams().n_vocab;
  std::vector<float> logits(static_cast<size_t>(n_vocab));
  double t0 = now_ms();
  HYMT_RETURN_IF_ERROR(s.forward(ids.data(), static_cast<int64_t>(ids.size()), *pool_, logits.data(), false));
  r.prefill_ms = now_ms() - t0;
  t0 = now_ms();
  StreamingDecoder dec(*tok_);
  std::vector<int32_t> out;
  double lp = 0;
  for (int64_t k = 0; k < budget; ++k) {
    const int32_t id = argmax(logits.data(), n_vocab);
    if (tok_->is_stop(id)) break;
    lp += log_softmax_at(logits, id);
    out.push_back(id);
    const std::string piece = dec.push(id);
    if (!piece.empty()) {
      r.output += piece;
      if (opt.on_text) opt.on_text(piece);
    }
    if (k + 1 == budget) {
      r.hit_token_limit = true;
      break;
    }
    HYMT_RETURN_IF_ERROR(s.forward(&id, 1, *pool_, logits.data(), false));
  }
  const std::string tail = dec.finish();
  r.output += tail;
  if (!tail.empty() && opt.on_text) opt.on_text(tail);
  r.decode_ms = now_ms() - t0;
  r.n_output_tokens = static_cast<int64_t>(out.size());
  r.mean_logprob = out.empty() ? 0.0 : lp / static_cast<double>(out.size());
  return r;
}

}  // namespace hymt
