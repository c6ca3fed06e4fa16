// translator.cpp: per segment: prompt -> chat ids -> prefill -> decode
// (sampling.h, batch_decoder.h) until a stop id, the loop guard or the token
// budget -> checks -> at most one retry. Segments of a batch move through
// these steps independently while their decoding shares forward passes. The
// confidence is the mean log-softmax of the chosen tokens under the model's own
// distribution (before any penalty).
#include "translate/translator.h"

#include <algorithm>
#include <cctype>

#include "translate/detect.h"

namespace hymt {

namespace {

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

// One item of a batch on its way through first attempt, checks and retry.
struct Translator::Item {
  const std::string *text = nullptr;
  const TranslateOptions *opt = nullptr;
  SegmentResult r;
  PromptRequest req;
  std::vector<GlossaryEntry> terms;
  RenderedPrompt prompt;
  int64_t budget = 0;
  bool stream_live = false;
  const std::function<void(const std::string &)> *stream = nullptr;
  Attempt first, second;
  const Attempt *kept = nullptr;
  Status error;
  bool done = false;
};

Result<SegmentResult> Translator::translate(const std::string &text,
                                            const TranslateOptions &opt) {
  std::vector<BatchItem> one{{text, opt}};
  // The options hold callbacks by value: the copy streams to the same places.
  return std::move(translate_batch(one)[0]);
}

std::vector<Result<SegmentResult>>
Translator::translate_batch(const std::vector<BatchItem> &items,
                            const std::function<void(size_t)> &on_done) {
  std::vector<Item> st(items.size());
  BatchDecoder decoder(*model_, *tok_, *pool_, max_batch_);
  for (size_t i = 0; i < items.size(); ++i) {
    st[i].text = &items[i].text;
    st[i].opt = &items[i].opt;
    start_item(st[i], decoder, i, on_done);
  }
  decoder.run();
  std::vector<Result<SegmentResult>> out;
  out.reserve(items.size());
  for (Item &it : st) {
    if (!it.error.ok())
      out.emplace_back(it.error);
    else
      out.emplace_back(std::move(it.r));
  }
  return out;
}

void Translator::start_item(Item &it, BatchDecoder &decoder, size_t index,
                            const std::function<void(size_t)> &on_done) {
  const std::string &text = *it.text;
  const TranslateOptions &opt = *it.opt;
  // Captures by value (and the item by pointer): the decoder calls it after this function returns.
  Item *ip = &it;
  auto fail = [ip, index, on_done](Status s) {
    ip->error = std::move(s);
    ip->done = true;
    if (on_done)
      on_done(index);
  };
  if (!opt.to)
    return fail(invalid_argument("no target language"));
  if (Status s = validate_sampling(opt.sampling); !s.ok())
    return fail(s);
  SegmentResult &r = it.r;
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
    it.done = true;
    if (on_done)
      on_done(index);
    return;
  }

  PromptRequest &req = it.req;
  req.family = family_;
  req.from = r.from;
  req.to = opt.to;
  req.source = text;
  if (opt.glossary)
    it.terms = opt.glossary->present_in(text);
  for (const GlossaryEntry &e : it.terms)
    req.terms.emplace_back(e.source, e.target);
  req.context = opt.context;
  req.formatted = opt.formatted || text.find("<sn>") != std::string::npos;
  req.style = opt.style;
  req.preferences = opt.preferences;
  req.delimiters = opt.delimiters;
  req.structured_format = opt.structured_format;
  auto prompt = render_prompt(req);
  if (!prompt.ok())
    return fail(prompt.status());
  it.prompt = std::move(prompt).value();

  const int64_t src_tokens = static_cast<int64_t>(tok_->encode(text).size());
  it.budget = opt.max_new_tokens > 0 ? opt.max_new_tokens : 2 * src_tokens + 64;
  // The formatted answer arrives wrapped in <target>: streamed only once it is
  // unwrapped.
  it.stream_live = !req.formatted;
  it.stream = it.stream_live && opt.on_text ? &opt.on_text : nullptr;
  if (opt.on_prompt)
    opt.on_prompt(it.prompt.text);
  AttemptSpec spec{it.prompt, opt.sampling, it.budget, opt.n_ctx, opt.kv_type, it.stream};
  decoder.submit(std::move(spec), [this, ip, &decoder, index, on_done, fail](Result<Attempt> a) {
    if (!a.ok())
      return fail(a.status());
    ip->first = std::move(a).value();
    after_first(*ip, decoder, index, on_done);
  });
}

void Translator::after_first(Item &it, BatchDecoder &decoder, size_t index,
                             const std::function<void(size_t)> &on_done) {
  const TranslateOptions &opt = *it.opt;
  Attempt &first = it.first;
  if (opt.checks)
    first.problems = run_checks(first, *it.text, *opt.to, it.terms);
  if (!(opt.checks && opt.retry && !first.problems.empty())) {
    it.kept = &first;
    return finish_item(it, index, on_done);
  }
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
  PromptRequest strict = it.req;
  strict.strict = true;
  auto p2 = render_prompt(strict);
  if (!p2.ok()) {
    it.error = p2.status();
    it.done = true;
    if (on_done)
      on_done(index);
    return;
  }
  SamplingParams s2 = opt.sampling;
  int64_t budget2 = it.budget;
  if (loopish) {
    s2.temperature = 0;
    s2.repetition_penalty = std::max(s2.repetition_penalty, 1.1f);
    if (first.hit_token_limit && !has_problem(ps, "repetition_loop"))
      budget2 = 2 * it.budget;
  } else if (!opt.sampling.greedy()) {
    s2.temperature = 0;
  } else if (p2->text == it.prompt.text) {
    s2 = SamplingParams::official();
    s2.seed = opt.sampling.seed;
    s2.loop_guard = opt.sampling.loop_guard;
  }
  if (opt.on_prompt)
    opt.on_prompt(p2->text);
  const bool restream = it.stream && opt.on_retry;
  if (restream)
    opt.on_retry();
  it.r.retried = true;
  AttemptSpec spec{std::move(p2).value(), s2, budget2, opt.n_ctx, opt.kv_type,
                   restream ? it.stream : nullptr};
  Item *ip = &it;
  decoder.submit(std::move(spec), [this, ip, index, on_done, restream](Result<Attempt> a) {
    Item &item = *ip;
    const TranslateOptions &o = *item.opt;
    if (!a.ok()) {
      item.error = a.status();
      item.done = true;
      if (on_done)
        on_done(index);
      return;
    }
    item.second = std::move(a).value();
    item.second.problems = run_checks(item.second, *item.text, *o.to, item.terms);
    if (item.second.problems.size() < item.first.problems.size()) {
      item.kept = &item.second;
      item.r.retry_kept = true;
    } else {
      item.kept = &item.first;
      if (restream) {
        o.on_retry();
        o.on_text(item.first.output);
      }
    }
    finish_item(item, index, on_done);
  });
}

void Translator::finish_item(Item &it, size_t index,
                             const std::function<void(size_t)> &on_done) {
  const TranslateOptions &opt = *it.opt;
  const Attempt &kept = *it.kept;
  SegmentResult &r = it.r;
  if (!it.stream_live && opt.on_text)
    opt.on_text(kept.output);
  r.output = kept.output;
  r.prompt = kept.prompt.text;
  r.prompt_kind = kept.prompt.kind;
  r.n_prompt_tokens = kept.n_prompt_tokens;
  r.n_output_tokens = kept.n_output_tokens;
  r.prefill_ms = it.first.prefill_ms + (r.retried ? it.second.prefill_ms : 0.0);
  r.decode_ms = it.first.decode_ms + (r.retried ? it.second.decode_ms : 0.0);
  r.mean_logprob = kept.mean_logprob;
  r.hit_token_limit = kept.hit_token_limit;
  r.problems = kept.problems;
  r.loop_guard_bans = kept.loop_bans;
  for (const GlossaryEntry &e : it.terms)
    (target_term_present(r.output, e.target) ? r.glossary_hits
                                             : r.glossary_misses)
        .push_back(e.source);
  it.done = true;
  if (on_done)
    on_done(index);
}

} // namespace hymt
