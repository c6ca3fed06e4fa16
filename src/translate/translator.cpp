// translator.cpp: one segment at a time: prompt -> chat ids -> prefill ->
// decode (sampling.h) until a stop id, the loop guard or the token budget ->
// checks -> at most one retry. The confidence is the mean log-softmax of the
// chosen tokens under the model's own distribution (before any penalty).
#include "translate/translator.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>

#include "model/session.h"
#include "runtime/generate.h"
#include "translate/detect.h"

namespace hymt {

namespace {
double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
double log_softmax_at(const std::vector<float> &logits,
                      int32_t id) { // from the unmodified logits
  float mx = logits[0];
  for (float v : logits)
    mx = std::max(mx, v);
  double s = 0;
  for (float v : logits)
    s += std::exp(static_cast<double>(v - mx));
  return static_cast<double>(logits[static_cast<size_t>(id)] - mx) -
         std::log(s);
}
// One decoding run of one prompt.
struct Attempt {
  RenderedPrompt prompt;
  std::string raw; // everything the model produced
  std::string
      output; // raw, or the text inside <target> for the formatted template
  int64_t n_prompt_tokens = 0, n_output_tokens = 0, budget = 0;
  double prefill_ms = 0, decode_ms = 0, mean_logprob = 0;
  bool hit_token_limit = false, loop_stopped = false;
  int loop_bans = 0;
  std::vector<Problem> problems;
};

bool has_problem(const std::vector<Problem> &ps, const char *code) {
  return std::any_of(ps.begin(), ps.end(),
                     [&](const Problem &p) { return p.code == code; });
}

} // namespace

Result<std::unique_ptr<Translator>>
Translator::open(const std::string &model_path, int n_threads) {
  std::unique_ptr<Translator> t(new Translator());
  HYMT_ASSIGN_OR_RETURN(t->model_, Model::load(model_path));
  auto tok = Tokenizer::from_gguf(t->model_->gguf());
  if (!tok.ok())
    return tok.status().with_context(model_path);
  t->tok_ = std::move(tok).value();
  if (t->tok_->chat_family() == ChatFamily::kNone)
    return unsupported(model_path +
                       ": the vocabulary has no HY chat-template tokens");
  // Family from the file's metadata: the Hy-MT2 files say so in general.name /
  // basename ("Hy-MT2", "HY MT2 1.8B", ...); anything else gets the HY-MT1.5
  // prompts. --prompt-family overrides.
  for (const char *key :
       {"general.name", "general.basename", "general.finetune"})
    if (const GgufValue *v = t->model_->gguf().find(key);
        v && v->type == GgufType::kString) {
      std::string n;
      for (char c : v->s)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.')
          n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (n.find("mt2") != std::string::npos)
        t->family_ = PromptFamily::kHyMT2;
    }
  t->pool_ = std::make_unique<ThreadPool>(n_threads);
  return t;
}

namespace {

struct DecodeContext {
  const Model &model;
  const Tokenizer &tok;
  ThreadPool &pool;
};

// Prefill + decode of one rendered prompt. `stream` (may be null) receives the
// text as it appears.
Result<Attempt>
run_attempt(const DecodeContext &dc, RenderedPrompt prompt,
            const SamplingParams &sp, int64_t budget, int64_t n_ctx,
            const std::function<void(const std::string &)> *stream) {
  Attempt a;
  a.prompt = std::move(prompt);
  HYMT_ASSIGN_OR_RETURN(std::vector<int32_t> ids,
                        dc.tok.encode_chat({{"user", a.prompt.text}}));
  a.n_prompt_tokens = static_cast<int64_t>(ids.size());
  if (a.n_prompt_tokens >= n_ctx)
    return invalid_argument(
        "the segment needs " + std::to_string(a.n_prompt_tokens) +
        " prompt tokens, more than n_ctx " + std::to_string(n_ctx));
  budget = std::min(budget, n_ctx - a.n_prompt_tokens);
  a.budget = budget;
  Session s(dc.model, std::min<int64_t>(n_ctx, a.n_prompt_tokens + budget));
  const int64_t n_vocab = dc.model.hparams().n_vocab;
  std::vector<float> logits(static_cast<size_t>(n_vocab)),
      work(static_cast<size_t>(n_vocab));
  double t0 = now_ms();
  HYMT_RETURN_IF_ERROR(s.forward(ids.data(), static_cast<int64_t>(ids.size()),
                                 dc.pool, logits.data(), false));
  a.prefill_ms = now_ms() - t0;
  t0 = now_ms();
  Sampler sampler(sp, ids, n_vocab);
  StreamingDecoder dec(dc.tok);
  double lp = 0;
  for (int64_t k = 0; k < budget; ++k) {
    std::memcpy(work.data(), logits.data(), logits.size() * sizeof(float));
    const int32_t id = sampler.choose(work.data());
    if (id < 0) {
      a.loop_stopped = true;
      break;
    }
    if (dc.tok.is_stop(id))
      break;
    lp += log_softmax_at(logits, id);
    sampler.accept(id);
    const std::string piece = dec.push(id);
    if (!piece.empty()) {
      a.raw += piece;
      if (stream && *stream)
        (*stream)(piece);
    }
    if (k + 1 == budget) {
      a.hit_token_limit = true;
      break;
    }
    HYMT_RETURN_IF_ERROR(s.forward(&id, 1, dc.pool, logits.data(), false));
  }
  const std::string tail = dec.finish();
  a.raw += tail;
  if (!tail.empty() && stream && *stream)
    (*stream)(tail);
  a.decode_ms = now_ms() - t0;
  a.n_output_tokens = static_cast<int64_t>(sampler.generated().size());
  a.mean_logprob = a.n_output_tokens == 0
                       ? 0.0
                       : lp / static_cast<double>(a.n_output_tokens);
  a.loop_bans = sampler.n_loop_bans();
  a.output = a.prompt.kind == PromptKind::kFormatted
                 ? extract_target_text(a.raw)
                 : a.raw;
  // The formatted answer must close its <target>; an unclosed one was cut off.
  if (a.prompt.kind == PromptKind::kFormatted &&
      a.raw.find("<target>") != std::string::npos &&
      a.raw.find("</target>") == std::string::npos)
    a.hit_token_limit = true;
  return a;
}

std::vector<Problem> run_checks(const Attempt &a, const std::string &source,
                                const Language &to,
                                const std::vector<GlossaryEntry> &terms) {
  CheckInput in;
  in.source = source;
  in.output = a.output;
  in.to = &to;
  in.instruction_fragments = a.prompt.instruction_fragments;
  in.terms = terms;
  in.hit_token_limit = a.hit_token_limit;
  in.loop_stopped = a.loop_stopped;
  in.max_new_tokens = a.budget;
  return check_output(in);
}

} // namespace

Result<SegmentResult> Translator::translate(const std::string &text,
                                            const TranslateOptions &opt) {
  if (!opt.to)
    return invalid_argument("no target language");
  HYMT_RETURN_IF_ERROR(validate_sampling(opt.sampling));
  SegmentResult r;
  r.source = text;
  // --from auto: the n-gram detector names the source (reported, and it picks the
  // Chinese or English template through is_chinese_side).
  r.from = opt.from ? opt.from : detect_language(text);
  // Already in the target language: nothing to translate. Only when the script
  // alone names the language (kana, Hangul, Thai, ...): an n-gram guess between
  // languages of one script (es/pt, ms/id, zh/yue) is not sure enough to leave a
  // segment untranslated, and Han text cannot tell zh from zh-Hant or yue.
  if (!opt.from && opt.pass_through && detect_language_by_script(text) == opt.to &&
      !is_chinese_side(*opt.to)) {
    r.output = text;
    r.passed_through = true;
    if (opt.on_text)
      opt.on_text(text);
    return r;
  }

  PromptRequest req;
  req.family = family_;
  req.from = r.from;
  req.to = opt.to;
  req.source = text;
  std::vector<GlossaryEntry> terms;
  if (opt.glossary)
    terms = opt.glossary->present_in(text);
  for (const GlossaryEntry &e : terms)
    req.terms.emplace_back(e.source, e.target);
  req.context = opt.context;
  req.formatted = opt.formatted || text.find("<sn>") != std::string::npos;
  req.style = opt.style;
  req.preferences = opt.preferences;
  req.delimiters = opt.delimiters;
  req.structured_format = opt.structured_format;
  HYMT_ASSIGN_OR_RETURN(RenderedPrompt prompt, render_prompt(req));

  const int64_t src_tokens = static_cast<int64_t>(tok_->encode(text).size());
  const int64_t budget =
      opt.max_new_tokens > 0 ? opt.max_new_tokens : 2 * src_tokens + 64;
  const DecodeContext dc{*model_, *tok_, *pool_};
  // The formatted answer arrives wrapped in <target>: streamed only once it is
  // unwrapped.
  const bool stream_live = !req.formatted;
  const auto *stream = stream_live && opt.on_text ? &opt.on_text : nullptr;

  if (opt.on_prompt)
    opt.on_prompt(prompt.text);
  HYMT_ASSIGN_OR_RETURN(Attempt first, run_attempt(dc, prompt, opt.sampling,
                                                   budget, opt.n_ctx, stream));
  if (opt.checks)
    first.problems = run_checks(first, text, *opt.to, terms);
  double prefill = first.prefill_ms, decode = first.decode_ms;
  Attempt *kept = &first;
  Attempt second;

  if (opt.checks && opt.retry && !first.problems.empty()) {
    // The stricter second attempt: loops and truncation -> greedy with a
    // repetition penalty of at least 1.1 (and, for a plain token-limit stop,
    // twice the budget); other problems -> the stricter wording ("you must ONLY
    // output"), and where that changes nothing, decoding that differs from the
    // first attempt (greedy after sampling, seeded official sampling after
    // greedy), because a deterministic rerun of the same prompt would only
    // reproduce the same output.
    const auto &ps = first.problems;
    const bool loopish =
        has_problem(ps, "repetition_loop") || has_problem(ps, "truncated");
    PromptRequest strict = req;
    strict.strict = true;
    HYMT_ASSIGN_OR_RETURN(RenderedPrompt p2, render_prompt(strict));
    SamplingParams s2 = opt.sampling;
    int64_t budget2 = budget;
    if (loopish) {
      s2.temperature = 0;
      s2.repetition_penalty = std::max(s2.repetition_penalty, 1.1f);
      if (first.hit_token_limit && !has_problem(ps, "repetition_loop"))
        budget2 = 2 * budget;
    } else if (!opt.sampling.greedy()) {
      s2.temperature = 0;
    } else if (p2.text == prompt.text) {
      s2 = SamplingParams::official();
      s2.seed = opt.sampling.seed;
      s2.loop_guard = opt.sampling.loop_guard;
    }
    if (opt.on_prompt)
      opt.on_prompt(p2.text);
    const bool restream = stream && opt.on_retry;
    if (restream)
      opt.on_retry();
    HYMT_ASSIGN_OR_RETURN(second, run_attempt(dc, p2, s2, budget2, opt.n_ctx,
                                              restream ? stream : nullptr));
    second.problems = run_checks(second, text, *opt.to, terms);
    prefill += second.prefill_ms;
    decode += second.decode_ms;
    r.retried = true;
    if (second.problems.size() < first.problems.size()) {
      kept = &second;
      r.retry_kept = true;
    } else if (restream) {
      opt.on_retry();
      opt.on_text(first.output);
    }
  }
  if (!stream_live && opt.on_text)
    opt.on_text(kept->output);

  r.output = kept->output;
  r.prompt = kept->prompt.text;
  r.prompt_kind = kept->prompt.kind;
  r.n_prompt_tokens = kept->n_prompt_tokens;
  r.n_output_tokens = kept->n_output_tokens;
  r.prefill_ms = prefill;
  r.decode_ms = decode;
  r.mean_logprob = kept->mean_logprob;
  r.hit_token_limit = kept->hit_token_limit;
  r.problems = kept->problems;
  r.loop_guard_bans = kept->loop_bans;
  for (const GlossaryEntry &e : terms)
    (target_term_present(r.output, e.target) ? r.glossary_hits
                                             : r.glossary_misses)
        .push_back(e.source);
  return r;
}

} // namespace hymt
