// translator.cpp: per segment: prompt -> chat ids (in the caller's thread) ->
// the engine's request (runtime/engine.h: prefill, decode, sampling.h) until a
// stop id, the loop guard or the token budget -> checks -> at most one retry.
// Segments of a batch move through these stages independently, each an
// explicit state advanced by the engine's events in the calling thread, while
// their decoding shares forward passes. The confidence is the mean log-softmax
// of the chosen tokens under the model's own distribution (before any penalty).
#include "translate/translator.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "translate/detect.h"

namespace hymt {

namespace {

bool has_problem(const std::vector<Problem>& ps, const char* code) {
  return std::any_of(ps.begin(), ps.end(), [&](const Problem& p) { return p.code == code; });
}

}  // namespace

PromptFamily prompt_family_of(const Model& m) {
  PromptFamily f = PromptFamily::kHyMT15;
  for (const char* key : {"general.name", "general.basename", "general.finetune"})
    if (const GgufValue* v = m.gguf().find(key); v && v->type == GgufType::kString) {
      std::string n;
      for (char c : v->s)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.')
          n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (n.find("mt2") != std::string::npos) f = PromptFamily::kHyMT2;
    }
  return f;
}

Result<std::unique_ptr<Translator>> Translator::create(Engine& engine) {
  const std::string name = engine.model().gguf().path();
  if (!engine.tokenizer()) return unsupported(name + ": the file has no usable tokenizer vocabulary");
  if (engine.tokenizer()->chat_family() == ChatFamily::kNone)
    return unsupported(name + ": the vocabulary has no HY chat-template tokens");
  std::unique_ptr<Translator> t(new Translator(engine));
  t->family_ = prompt_family_of(engine.model());
  return t;
}

Result<std::unique_ptr<Translator>> Translator::open(const std::string& model_path, int n_threads) {
  EngineOptions eo;
  eo.n_threads = n_threads;
  return open(model_path, eo);
}

Result<std::unique_ptr<Translator>> Translator::open(const std::string& model_path, const EngineOptions& eo) {
  HYMT_ASSIGN_OR_RETURN(std::unique_ptr<Model> model, Model::load(model_path));
  auto tok = Tokenizer::from_gguf(model->gguf());
  if (!tok.ok()) return tok.status().with_context(model_path);
  auto engine = std::make_unique<Engine>(std::shared_ptr<const Model>(std::move(model)),
                                         std::shared_ptr<const Tokenizer>(std::move(tok).value()), eo);
  HYMT_ASSIGN_OR_RETURN(std::unique_ptr<Translator> t, create(*engine));
  t->owned_ = std::move(engine);
  return t;
}

namespace {

// One decoding run of one rendered prompt, as the checks see it.
struct Attempt {
  RenderedPrompt prompt;
  std::string raw;     // everything the model produced
  std::string output;  // raw, or the text inside <target> for the formatted template
  int64_t n_prompt_tokens = 0, n_output_tokens = 0, budget = 0;
  int64_t n_cached_tokens = 0;  // of the prompt, from the engine's prefix cache
  double prefill_ms = 0, decode_ms = 0, mean_logprob = 0;
  bool hit_token_limit = false, loop_stopped = false;
  int loop_bans = 0;
  std::vector<Problem> problems;
};

std::vector<Problem> run_checks(const Attempt& a, const std::string& source, const Language* from,
                                const TranslateOptions& opt, const std::vector<GlossaryEntry>& terms) {
  CheckInput in;
  in.source = source;
  in.output = a.output;
  in.to = opt.to;
  in.from = from;
  in.mean_logprob = a.mean_logprob;
  in.n_output_tokens = a.n_output_tokens;
  in.min_confidence = opt.min_confidence;
  in.instruction_fragments = a.prompt.instruction_fragments;
  in.terms = terms;
  in.hit_token_limit = a.hit_token_limit;
  in.loop_stopped = a.loop_stopped;
  in.max_new_tokens = a.budget;
  return check_output(in);
}

}  // namespace

// One attempt in flight: what was asked, and the text decoded so far.
struct Translator::Run {
  Run(const Tokenizer& tok, RenderedPrompt p, SamplingParams sp, int64_t b,
      const std::function<void(const std::string&)>* st)
      : dec(tok), sampling(sp), budget(b), stream(st) {
    a.prompt = std::move(p);
  }
  StreamingDecoder dec;
  SamplingParams sampling;
  int64_t budget;
  const std::function<void(const std::string&)>* stream;  // may be null
  Attempt a;
};

// One item of a batch. Its stages: first attempt queued or running (run[0]),
// retry queued or running (run[1] set), done (counted in n_done). Every
// transition happens in the translating thread, on an event from the engine.
struct Translator::Item {
  const std::string* text = nullptr;
  const TranslateOptions* opt = nullptr;
  SegmentResult r;
  PromptRequest req;
  std::vector<GlossaryEntry> terms;
  RenderedPrompt prompt;
  int64_t budget = 0;
  bool stream_live = false;
  bool restream = false;
  const std::function<void(const std::string&)>* stream = nullptr;
  std::unique_ptr<Run> run[2];
  Status error;
};

namespace {

// What the engine's decode thread tells the translating thread.
struct Event {
  size_t item;
  int attempt;
  bool done;  // false: a token
  int32_t id;
  Result<RequestResult> result;
};

class EventQueue {
 public:
  // Notifies under the lock: the translating thread may return (and destroy
  // the queue) as soon as it has popped the last event, which it cannot do
  // before the producer lets go of the lock.
  void push(Event e) {
    std::lock_guard<std::mutex> lk(mu_);
    q_.push_back(std::move(e));
    cv_.notify_one();
  }
  Event pop() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return !q_.empty(); });
    Event e = std::move(q_.front());
    q_.pop_front();
    return e;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> q_;
};

}  // namespace

Result<SegmentResult> Translator::translate(const std::string& text, const TranslateOptions& opt) {
  std::vector<BatchItem> one{{text, opt}};
  // The options hold callbacks by value: the copy streams to the same places.
  return std::move(translate_batch(one)[0]);
}

std::vector<Result<SegmentResult>> Translator::translate_batch(const std::vector<BatchItem>& items,
                                                               const ItemDone& on_done) {
  const Tokenizer& tok = tokenizer();
  std::vector<Item> st(items.size());
  EventQueue events;
  std::deque<std::pair<size_t, int>> ready;  // attempts to hand to the engine
  int in_flight = 0;
  size_t n_done = 0;

  auto finish = [&](size_t i) {
    ++n_done;
    if (!on_done) return;
    if (st[i].error.ok())
      on_done(i, Result<SegmentResult>(st[i].r));
    else
      on_done(i, Result<SegmentResult>(st[i].error));
  };
  auto fail = [&](size_t i, Status s) {
    st[i].error = std::move(s);
    finish(i);
  };

  // Renders item i's first attempt, or answers it at once (refusal,
  // pass-through).
  auto prepare = [&](size_t i) {
    Item& it = st[i];
    const std::string& text = *it.text;
    const TranslateOptions& opt = *it.opt;
    if (!opt.to) return fail(i, invalid_argument("no target language"));
    if (Status s = validate_sampling(opt.sampling); !s.ok()) return fail(i, s);
    SegmentResult& r = it.r;
    r.source = text;
    // --from auto: the n-gram detector names the source (reported, and it
    // picks the Chinese or English template through is_chinese_side).
    r.from = opt.from ? opt.from : detect_language(text);
    // Already in the target language: nothing to translate. Only when the
    // script alone names the language (kana, Hangul, Thai, ...): an n-gram
    // guess between languages of one script (es/pt, ms/id, zh/yue) is not sure
    // enough to leave a segment untranslated, and Han text cannot tell zh from
    // zh-Hant or yue.
    if (!opt.from && opt.pass_through && detect_language_by_script(text) == opt.to && !is_chinese_side(*opt.to)) {
      r.output = text;
      r.passed_through = true;
      if (opt.on_text) opt.on_text(text);
      return finish(i);
    }
    PromptRequest& req = it.req;
    req.family = family_;
    req.from = r.from;
    req.to = opt.to;
    req.source = text;
    if (opt.glossary) it.terms = opt.glossary->present_in(text);
    for (const GlossaryEntry& e : it.terms) req.terms.emplace_back(e.source, e.target);
    req.context = opt.context;
    req.formatted = opt.formatted || text.find("<sn>") != std::string::npos;
    req.style = opt.style;
    req.preferences = opt.preferences;
    req.delimiters = opt.delimiters;
    req.structured_format = opt.structured_format;
    auto prompt = render_prompt(req);
    if (!prompt.ok()) return fail(i, prompt.status());
    it.prompt = std::move(prompt).value();
    const int64_t src_tokens = static_cast<int64_t>(tok.encode(text).size());
    it.budget = opt.max_new_tokens > 0 ? opt.max_new_tokens : 2 * src_tokens + 64;
    // The formatted answer arrives wrapped in <target>: streamed only once it
    // is unwrapped.
    it.stream_live = !req.formatted;
    it.stream = it.stream_live && opt.on_text ? &opt.on_text : nullptr;
    if (opt.on_prompt) opt.on_prompt(it.prompt.text);
    it.run[0] = std::make_unique<Run>(tok, it.prompt, opt.sampling, it.budget, it.stream);
    ready.emplace_back(i, 0);
  };

  // Tokenizes attempt k of item i here, in the caller's thread, and queues it
  // in the engine. A refusal comes back as the attempt's result.
  auto launch = [&](size_t i, int k) {
    Item& it = st[i];
    Run& run = *it.run[k];
    auto ids = tok.encode_chat({{"user", run.a.prompt.text}});
    Status err;
    const int64_t n_ctx = it.opt->n_ctx;
    if (it.opt->cancel && it.opt->cancel->load()) {
      err = cancelled("the translation was cancelled");
    } else if (!ids.ok()) {
      err = ids.status();
    } else if (static_cast<int64_t>(ids->size()) >= n_ctx) {
      err = invalid_argument("the segment needs " + std::to_string(ids->size()) + " prompt tokens, more than n_ctx " +
                             std::to_string(n_ctx));
    }
    ++in_flight;
    if (!err.ok()) {
      events.push({i, k, true, -1, err});
      return;
    }
    const int64_t n_prompt = static_cast<int64_t>(ids->size());
    run.a.n_prompt_tokens = n_prompt;
    run.a.budget = std::min(run.budget, n_ctx - n_prompt);
    Request rq;
    rq.prompt = std::move(ids).value();
    rq.sampling = run.sampling;
    rq.max_new_tokens = run.a.budget;
    rq.n_ctx = n_prompt + run.a.budget;
    rq.stop_ids = tok.stop_ids();
    rq.cancel = it.opt->cancel;
    rq.on_token = [&events, i, k](const TokenEvent& e) {
      events.push({i, k, false, e.id, RequestResult{}});
      return true;
    };
    engine_->submit(std::move(rq), [&events, i, k](Result<RequestResult> res) {
      events.push({i, k, true, -1, std::move(res)});
    });
  };

  auto pump = [&] {
    while (in_flight < max_batch_ && !ready.empty()) {
      auto [i, k] = ready.front();
      ready.pop_front();
      launch(i, k);
    }
  };

  // Item i's attempt k has ended: build its Attempt from the engine's result.
  auto attempt_done = [&](size_t i, int k, RequestResult& res) {
    Item& it = st[i];
    Run& run = *it.run[k];
    Attempt& a = run.a;
    const std::string tail = run.dec.finish();
    a.raw += tail;
    if (!tail.empty() && run.stream && *run.stream) (*run.stream)(tail);
    a.n_output_tokens = static_cast<int64_t>(res.ids.size());
    a.n_cached_tokens = res.n_cached;
    double lp = 0;
    for (double x : res.logprobs) lp += x;
    a.mean_logprob = a.n_output_tokens == 0 ? 0.0 : lp / static_cast<double>(a.n_output_tokens);
    a.prefill_ms = res.t.prefill_ms;
    a.decode_ms = res.t.decode_ms;
    a.loop_bans = res.loop_bans;
    a.loop_stopped = res.stop == StopReason::kLoop;
    a.hit_token_limit = res.stop == StopReason::kLength && static_cast<int64_t>(res.ids.size()) >= a.budget;
    a.output = a.prompt.kind == PromptKind::kFormatted ? extract_target_text(a.raw) : a.raw;
    // The formatted answer must close its <target>; an unclosed one was cut
    // off.
    if (a.prompt.kind == PromptKind::kFormatted && a.raw.find("<target>") != std::string::npos &&
        a.raw.find("</target>") == std::string::npos)
      a.hit_token_limit = true;
  };

  auto finish_item = [&](size_t i, const Attempt& kept) {
    Item& it = st[i];
    const TranslateOptions& opt = *it.opt;
    SegmentResult& r = it.r;
    const Attempt& first = it.run[0]->a;
    if (!it.stream_live && opt.on_text) opt.on_text(kept.output);
    r.output = kept.output;
    r.prompt = kept.prompt.text;
    r.prompt_kind = kept.prompt.kind;
    r.n_prompt_tokens = kept.n_prompt_tokens;
    r.n_output_tokens = kept.n_output_tokens;
    r.n_cached_tokens = kept.n_cached_tokens;
    r.prefill_ms = first.prefill_ms + (r.retried ? it.run[1]->a.prefill_ms : 0.0);
    r.decode_ms = first.decode_ms + (r.retried ? it.run[1]->a.decode_ms : 0.0);
    r.mean_logprob = kept.mean_logprob;
    r.hit_token_limit = kept.hit_token_limit;
    r.problems = kept.problems;
    r.loop_guard_bans = kept.loop_bans;
    for (const GlossaryEntry& e : it.terms)
      (target_term_present(r.output, e.target) ? r.glossary_hits : r.glossary_misses).push_back(e.source);
    finish(i);
  };

  // After the first attempt: keep it, or queue the stricter second one.
  // Loops and truncation -> greedy with a repetition penalty of at least 1.1
  // (and, for a plain token-limit stop, twice the budget); other problems ->
  // the stricter wording ("you must ONLY output"), and where that changes
  // nothing, decoding that differs from the first attempt (greedy after
  // sampling, seeded official sampling after greedy), because a deterministic
  // rerun of the same prompt would only reproduce the same output.
  auto after_first = [&](size_t i) {
    Item& it = st[i];
    const TranslateOptions& opt = *it.opt;
    Attempt& first = it.run[0]->a;
    if (opt.checks) first.problems = run_checks(first, *it.text, it.r.from, opt, it.terms);
    if (!(opt.checks && opt.retry && !first.problems.empty())) return finish_item(i, first);
    const auto& ps = first.problems;
    const bool loopish = has_problem(ps, "repetition_loop") || has_problem(ps, "truncated");
    PromptRequest strict = it.req;
    strict.strict = true;
    auto p2 = render_prompt(strict);
    if (!p2.ok()) return fail(i, p2.status());
    SamplingParams s2 = opt.sampling;
    int64_t budget2 = it.budget;
    if (loopish) {
      s2.temperature = 0;
      s2.repetition_penalty = std::max(s2.repetition_penalty, 1.1f);
      if (first.hit_token_limit && !has_problem(ps, "repetition_loop")) budget2 = 2 * it.budget;
    } else if (!opt.sampling.greedy()) {
      s2.temperature = 0;
    } else if (p2->text == it.prompt.text) {
      s2 = SamplingParams::official();
      s2.seed = opt.sampling.seed;
      s2.loop_guard = opt.sampling.loop_guard;
    }
    if (opt.on_prompt) opt.on_prompt(p2->text);
    it.restream = it.stream && opt.on_retry;
    if (it.restream) opt.on_retry();
    it.r.retried = true;
    it.run[1] = std::make_unique<Run>(tok, std::move(p2).value(), s2, budget2, it.restream ? it.stream : nullptr);
    ready.emplace_front(i, 1);  // a retry goes ahead of items not yet started
  };

  auto after_second = [&](size_t i) {
    Item& it = st[i];
    const TranslateOptions& o = *it.opt;
    Attempt &first = it.run[0]->a, &second = it.run[1]->a;
    second.problems = run_checks(second, *it.text, it.r.from, o, it.terms);
    if (second.problems.size() < first.problems.size()) {
      it.r.retry_kept = true;
      return finish_item(i, second);
    }
    if (it.restream) {
      o.on_retry();
      o.on_text(first.output);
    }
    finish_item(i, first);
  };

  for (size_t i = 0; i < items.size(); ++i) {
    st[i].text = &items[i].text;
    st[i].opt = &items[i].opt;
    prepare(i);
  }
  pump();
  while (n_done < items.size()) {
    Event e = events.pop();
    Item& it = st[e.item];
    Run& run = *it.run[static_cast<size_t>(e.attempt)];
    if (!e.done) {
      const std::string piece = run.dec.push(e.id);
      if (!piece.empty()) {
        run.a.raw += piece;
        if (run.stream && *run.stream) (*run.stream)(piece);
      }
      continue;
    }
    --in_flight;
    const bool withdrawn = it.opt->cancel && it.opt->cancel->load();
    if (!e.result.ok()) {
      fail(e.item, e.result.status());
    } else if (withdrawn || e.result->stop == StopReason::kCancelled) {
      fail(e.item, cancelled("the translation was cancelled"));
    } else {
      attempt_done(e.item, e.attempt, e.result.value());
      if (e.attempt == 0)
        after_first(e.item);
      else
        after_second(e.item);
    }
    pump();
  }

  std::vector<Result<SegmentResult>> out;
  out.reserve(items.size());
  for (Item& it : st) {
    if (!it.error.ok())
      out.emplace_back(it.error);
    else
      out.emplace_back(std::move(it.r));
  }
  return out;
}

}  // namespace hymt
