// scheduler.cpp: admission, one batched step, and answering (scheduler.h). Step time is charged to
// the sequences in the step in proportion to the tokens each fed, as prefill for prompt tokens and
// as decode for generated ones, so per-request times add up to the wall time.
#include "runtime/scheduler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>

namespace hymt {

double steady_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

const char* stop_reason_name(StopReason r) {
  switch (r) {
    case StopReason::kStopToken: return "stop";
    case StopReason::kLength: return "length";
    case StopReason::kLoop: return "loop";
    case StopReason::kCancelled: return "cancelled";
  }
  return "unknown";
}

namespace {
// log-softmax of `id` under the unmodified logits (the confidence score).
double log_softmax_at(const float* logits, int64_t n, int32_t id) {
  float mx = logits[0];
  for (int64_t i = 1; i < n; ++i) mx = std::max(mx, logits[i]);
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(logits[i] - mx));
  return static_cast<double>(logits[id] - mx) - std::log(s);
}

// The k most likely ids under the unmodified logits with their log-softmax, most likely first (ties:
// lower id first).
std::vector<TokenLogprob> top_log_softmax(const float* logits, int64_t n, int k) {
  float mx = logits[0];
  for (int64_t i = 1; i < n; ++i) mx = std::max(mx, logits[i]);
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(logits[i] - mx));
  const double lse = std::log(s);
  const auto better = [logits](int32_t a, int32_t b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); };
  std::vector<int32_t> heap;  // the best k so far, worst on top
  heap.reserve(static_cast<size_t>(k) + 1);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t id = static_cast<int32_t>(i);
    if (static_cast<int>(heap.size()) < k) {
      heap.push_back(id);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(id, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = id;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  std::vector<TokenLogprob> out;
  for (int32_t id : heap) out.push_back({id, static_cast<double>(logits[id] - mx) - lse});
  return out;
}
}  // namespace

struct Scheduler::Queued {
  uint64_t id;
  Request r;
  Done done;
  double submit_ms;
};

struct Scheduler::Live {
  Live(Queued&& q, KvPool& pool, int64_t n_ctx, int64_t n_vocab)
      : id(q.id),
        r(std::move(q.r)),
        done(std::move(q.done)),
        submit_ms(q.submit_ms),
        kv(pool, n_ctx),
        sampler(r.sampling, r.prompt, n_vocab) {}
  uint64_t id;
  Request r;
  Done done;
  double submit_ms;
  KvSequence kv;
  Sampler sampler;
  std::vector<int32_t> fed;  // the tokens at positions 0 .. kv.n_past()-1
  int64_t n_blocks = 0;      // blocks the whole request needs (reserved at admission)
  int32_t next = -1;         // the generated token to feed next (decode phase)
  RequestResult res;
  Status error;
  bool finished = false;
  bool prefilling() const { return kv.n_past() < res.n_prompt; }
};

Scheduler::Scheduler(const Model& model, KvPool& kv, PrefixCache* cache, ThreadPool& pool, const SchedulerOptions& opt)
    : model_(model), kv_(kv), cache_(cache), pool_(pool), opt_(opt) {
  opt_.max_seqs = std::max(1, opt_.max_seqs);
  opt_.step_tokens = std::max<int64_t>(1, opt_.step_tokens);
  work_.resize(static_cast<size_t>(model.hparams().n_vocab));
}

Scheduler::~Scheduler() { cancel_all(); }

void Scheduler::add(uint64_t id, Request r, Done done, double submit_ms) {
  queue_.push_back(std::make_unique<Queued>(Queued{id, std::move(r), std::move(done), submit_ms}));
}

void Scheduler::cancel(uint64_t id) { cancelled_.insert(id); }

namespace {
bool flagged(const Request& r) { return r.cancel && r.cancel->load(std::memory_order_relaxed); }
}  // namespace

void Scheduler::cancel_all() {
  for (auto& s : live_) finish(*s, StopReason::kCancelled);
  answer(live_);
  live_.clear();
  while (!queue_.empty()) {
    std::unique_ptr<Queued> q = std::move(queue_.front());
    queue_.pop_front();
    RequestResult res;
    res.stop = StopReason::kCancelled;
    res.n_prompt = static_cast<int64_t>(q->r.prompt.size());
    ++counters_.cancelled;
    q->done(std::move(res));
  }
  cancelled_.clear();
}

void Scheduler::cancel_marked() {
  for (auto& s : live_)
    if (!s->finished && (cancelled_.count(s->id) || flagged(s->r))) finish(*s, StopReason::kCancelled);
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (cancelled_.count((*it)->id) || flagged((*it)->r)) {
      std::unique_ptr<Queued> q = std::move(*it);
      it = queue_.erase(it);
      RequestResult res;
      res.stop = StopReason::kCancelled;
      res.n_prompt = static_cast<int64_t>(q->r.prompt.size());
      res.t.total_ms = steady_ms() - q->submit_ms;
      ++counters_.cancelled;
      q->done(std::move(res));
    } else {
      ++it;
    }
  }
  cancelled_.clear();
}

int64_t Scheduler::outstanding_blocks() const {
  int64_t n = 0;
  for (const auto& s : live_) n += s->n_blocks - static_cast<int64_t>(s->kv.blocks().size());
  return n;
}

void Scheduler::admit() {
  const int64_t n_vocab = model_.hparams().n_vocab;
  while (static_cast<int>(live_.size()) < opt_.max_seqs && !queue_.empty()) {
    Queued& q = *queue_.front();
    const int64_t n_ctx = q.r.n_ctx > 0 ? q.r.n_ctx : opt_.n_ctx;
    const int64_t n_prompt = static_cast<int64_t>(q.r.prompt.size());
    Status err;
    if (n_prompt == 0) err = invalid_argument("empty prompt");
    for (int32_t id : q.r.prompt)
      if (err.ok() && (id < 0 || id >= n_vocab))
        err = invalid_argument("token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                               std::to_string(n_vocab) + ")");
    if (err.ok() && n_prompt > n_ctx)
      err = invalid_argument("the prompt has " + std::to_string(n_prompt) + " tokens, more than n_ctx " +
                             std::to_string(n_ctx));
    if (err.ok()) err = validate_sampling(q.r.sampling);
    // The last token chosen is never fed, so n_ctx positions allow n_ctx - n_prompt + 1 new tokens.
    const int64_t budget = std::clamp<int64_t>(q.r.max_new_tokens, 0, n_ctx - n_prompt + 1);
    const int64_t n_blocks = kv_blocks_for(n_prompt + std::max<int64_t>(budget - 1, 0));
    if (err.ok() && n_blocks > kv_.max_blocks())
      err = out_of_memory("the request needs " + std::to_string(n_blocks) + " KV blocks of " +
                          std::to_string(kKvBlockTokens) + " positions; the KV budget holds " +
                          std::to_string(kv_.max_blocks()));
    if (!err.ok() || budget == 0) {
      std::unique_ptr<Queued> head = std::move(queue_.front());
      queue_.pop_front();
      if (!err.ok()) {
        ++counters_.failed;
        head->done(err);
      } else {
        RequestResult res;
        res.n_prompt = n_prompt;
        res.t.total_ms = steady_ms() - head->submit_ms;
        ++counters_.finished;
        head->done(std::move(res));
      }
      continue;
    }
    // At least the last prompt token is computed: its logits choose the first new token.
    std::vector<int32_t> shared;
    if (cache_ && q.r.prefix_cache) shared = cache_->lookup(q.r.prompt.data(), n_prompt - 1, n_blocks);
    const int64_t need = n_blocks - static_cast<int64_t>(shared.size());
    const int64_t avail = kv_.n_free() + (cache_ ? cache_->n_evictable() : 0) - outstanding_blocks();
    if (need > avail) {
      // Wait for running sequences to free blocks (with none running, everything not shared is
      // free or evictable and the check above guarantees the request fits).
      for (int32_t b : shared) kv_.release(b);
      break;
    }
    std::unique_ptr<Queued> head = std::move(queue_.front());
    queue_.pop_front();
    auto s = std::make_unique<Live>(std::move(*head), kv_, n_ctx, n_vocab);
    s->kv.adopt_prefix(shared);
    s->fed.assign(s->r.prompt.begin(), s->r.prompt.begin() + static_cast<long>(s->kv.n_past()));
    s->n_blocks = n_blocks;
    s->res.n_prompt = n_prompt;
    s->res.n_cached = s->kv.n_past();
    s->res.budget = budget;
    s->res.t.queue_ms = steady_ms() - s->submit_ms;
    counters_.prompt_tokens += n_prompt;
    counters_.cached_tokens += s->res.n_cached;
    live_.push_back(std::move(s));
  }
}

void Scheduler::finish(Live& s, StopReason why) {
  if (s.finished) return;
  s.res.stop = why;
  s.res.loop_bans = s.sampler.n_loop_bans();
  s.res.t.total_ms = steady_ms() - s.submit_ms;
  // Every full block this sequence computed is offered to later requests (a conversation's next
  // turn starts with this one's tokens), then its own references go.
  if (cache_ && s.r.prefix_cache && s.error.ok())
    cache_->insert(s.fed.data(), static_cast<int64_t>(s.fed.size()), s.kv.blocks());
  s.kv.clear();
  s.finished = true;
  if (!s.error.ok())
    ++counters_.failed;
  else if (why == StopReason::kCancelled)
    ++counters_.cancelled;
  else
    ++counters_.finished;
}

void Scheduler::answer(std::vector<std::unique_ptr<Live>>& done) {
  for (auto& s : done) {
    if (!s->error.ok())
      s->done(s->error);
    else
      s->done(std::move(s->res));
  }
}

bool Scheduler::step() {
  cancel_marked();
  {
    // Requests refused at admission are answered inside admit(); a cancelled live one is answered
    // below with the step's finished ones.
    const size_t before = queue_.size();
    admit();
    if (live_.empty()) return queue_.size() != before;
  }
  const int64_t n_vocab = model_.hparams().n_vocab;
  batch_.clear();
  std::vector<Live*> in_batch;
  int64_t budget = opt_.step_tokens, n_tokens = 0, n_out = 0;
  for (auto& s : live_)  // decoding sequences first: one token each
    if (!s->finished && !s->prefilling()) {
      batch_.push_back({&s->kv, &s->next, 1, 1});
      in_batch.push_back(s.get());
      --budget;
    }
  for (auto& s : live_)  // then prompt chunks, in order of admission, while the budget lasts
    if (!s->finished && s->prefilling() && budget > 0) {
      const int64_t left = s->res.n_prompt - s->kv.n_past();
      const int64_t chunk = std::min(left, budget);
      batch_.push_back({&s->kv, s->r.prompt.data() + s->kv.n_past(), chunk, chunk == left ? 1 : 0});
      in_batch.push_back(s.get());
      budget -= chunk;
    }
  for (const SeqBatch& b : batch_) n_tokens += b.n, n_out += b.n_logits;
  if (!batch_.empty()) {
    logits_.resize(static_cast<size_t>(n_out * n_vocab));
    const double t0 = steady_ms();
    const Status st =
        forward_batch(model_, batch_.data(), static_cast<int>(batch_.size()), pool_, scratch_, logits_.data());
    const double step_ms = steady_ms() - t0;
    ++counters_.steps;
    if (!st.ok()) {  // an engine failure fails every sequence of the step
      for (Live* s : in_batch) {
        s->error = st;
        finish(*s, StopReason::kCancelled);
      }
    } else {
      int64_t row = 0;
      for (size_t i = 0; i < batch_.size(); ++i) {
        Live& s = *in_batch[i];
        const SeqBatch& b = batch_[i];
        const bool was_prefill = b.tokens != &s.next;
        (was_prefill ? s.res.t.prefill_ms : s.res.t.decode_ms) +=
            step_ms * static_cast<double>(b.n) / static_cast<double>(n_tokens);
        s.fed.insert(s.fed.end(), b.tokens, b.tokens + b.n);
        if (b.n_logits == 0) continue;
        const float* lg = logits_.data() + row * n_vocab;
        ++row;
        if (was_prefill && cache_ && s.r.prefix_cache)  // the prompt's blocks, for requests that come meanwhile
          cache_->insert(s.fed.data(), static_cast<int64_t>(s.fed.size()), s.kv.blocks());
        std::memcpy(work_.data(), lg, static_cast<size_t>(n_vocab) * sizeof(float));
        const int32_t id = s.sampler.choose(work_.data());
        if (id < 0) {
          finish(s, StopReason::kLoop);
          continue;
        }
        if (std::find(s.r.stop_ids.begin(), s.r.stop_ids.end(), id) != s.r.stop_ids.end()) {
          s.res.stop_id = id;
          finish(s, StopReason::kStopToken);
          continue;
        }
        const double lp = s.r.logprobs ? log_softmax_at(lg, n_vocab, id) : 0.0;
        s.sampler.accept(id);
        s.res.ids.push_back(id);
        if (s.r.logprobs) s.res.logprobs.push_back(lp);
        ++counters_.generated_tokens;
        if (s.res.ids.size() == 1) s.res.t.ttft_ms = steady_ms() - s.submit_ms;
        static const std::vector<TokenLogprob> kNoTop;
        const std::vector<TokenLogprob>* top = &kNoTop;
        if (s.r.top_logprobs > 0) {
          s.res.top_logprobs.push_back(
              top_log_softmax(lg, n_vocab, static_cast<int>(std::min<int64_t>(s.r.top_logprobs, n_vocab))));
          top = &s.res.top_logprobs.back();
        }
        if (s.r.on_token && !s.r.on_token(TokenEvent{id, lp, top})) {
          finish(s, StopReason::kCancelled);
        } else if (static_cast<int64_t>(s.res.ids.size()) >= s.res.budget) {
          finish(s, StopReason::kLength);
        } else {
          s.next = id;
        }
      }
    }
  }
  // Answer the finished sequences in their order of admission.
  std::vector<std::unique_ptr<Live>> still, done;
  for (auto& s : live_) (s->finished ? done : still).push_back(std::move(s));
  live_ = std::move(still);
  answer(done);
  return true;
}

}  // namespace hymt
