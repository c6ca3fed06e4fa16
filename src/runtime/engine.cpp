// engine.cpp: the decode thread and the inbox (engine.h). Callers only touch the inbox under mu_;
// the decode thread moves it into the scheduler, then steps without the lock, so a step never
// blocks a submitter and a callback may submit again.
#include "runtime/engine.h"

#include <algorithm>

namespace hymt {

Result<std::unique_ptr<Engine>> Engine::open(const std::string& model_path, const EngineOptions& opt) {
  HYMT_ASSIGN_OR_RETURN(std::unique_ptr<Model> model, Model::load(model_path));
  std::shared_ptr<const Tokenizer> tok;
  if (auto t = Tokenizer::from_gguf(model->gguf()); t.ok()) tok = std::move(t).value();
  return std::make_unique<Engine>(std::shared_ptr<const Model>(std::move(model)), std::move(tok), opt);
}

Engine::Engine(std::shared_ptr<const Model> model, std::shared_ptr<const Tokenizer> tok, const EngineOptions& opt)
    : model_(std::move(model)), tok_(std::move(tok)), opt_(opt) {
  opt_.max_seqs = std::max(1, opt_.max_seqs);
  opt_.n_ctx = std::max<int64_t>(1, opt_.n_ctx);
  const HParams& hp = model_->hparams();
  const int64_t block = KvPool::block_bytes(hp.n_layer, hp.n_embd_kv(), opt_.kv_type);
  const int64_t mib = int64_t{1} << 20;
  const int64_t seq_blocks =
      opt_.kv_mb > 0 ? std::max<int64_t>(1, opt_.kv_mb * mib / block) : opt_.max_seqs * kv_blocks_for(opt_.n_ctx);
  const int64_t cache_blocks = std::max<int64_t>(0, opt_.cache_mb) * mib / block;
  pool_ = std::make_unique<ThreadPool>(opt_.n_threads);
  kv_ = std::make_unique<KvPool>(hp.n_layer, hp.n_embd_kv(), opt_.kv_type, seq_blocks + cache_blocks);
  if (cache_blocks > 0) {
    cache_ = std::make_unique<PrefixCache>(*kv_, cache_blocks);
    kv_->set_reclaim([c = cache_.get()] { return c->evict_one(); });
  }
  SchedulerOptions so;
  so.max_seqs = opt_.max_seqs;
  so.step_tokens = opt_.step_tokens;
  so.n_ctx = opt_.n_ctx;
  sched_ = std::make_unique<Scheduler>(*model_, *kv_, cache_.get(), *pool_, so);
  stats_.kv_blocks_total = kv_->max_blocks();
  thread_ = std::thread([this] { loop(); });
}

Engine::~Engine() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  // The scheduler holds blocks of the pool and the cache: it goes first.
  sched_.reset();
  cache_.reset();
}

uint64_t Engine::submit(Request r, Done done) {
  const double now = steady_ms();
  uint64_t id;
  bool refused = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    id = next_id_++;
    refused = stop_;
    if (!refused) inbox_.push_back({id, std::move(r), std::move(done), now});
  }
  if (refused) {  // shutting down: answered here (outside the lock: done may submit), never queued
    RequestResult res;
    res.stop = StopReason::kCancelled;
    res.n_prompt = static_cast<int64_t>(r.prompt.size());
    done(std::move(res));
    return id;
  }
  cv_.notify_one();
  return id;
}

std::future<Result<RequestResult>> Engine::submit(Request r, uint64_t* id) {
  auto p = std::make_shared<std::promise<Result<RequestResult>>>();
  std::future<Result<RequestResult>> f = p->get_future();
  const uint64_t i = submit(std::move(r), [p](Result<RequestResult> res) { p->set_value(std::move(res)); });
  if (id) *id = i;
  return f;
}

Result<RequestResult> Engine::run(Request r) { return submit(std::move(r)).get(); }

void Engine::cancel(uint64_t id) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    cancels_.push_back(id);
  }
  cv_.notify_one();
}

EngineStats Engine::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  EngineStats s = stats_;
  s.queued += static_cast<int64_t>(inbox_.size());
  return s;
}

void Engine::loop() {
  std::vector<Pending> in;
  std::vector<uint64_t> cancels;
  for (;;) {
    bool stopping;
    {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [&] { return stop_ || !inbox_.empty() || !cancels_.empty() || !sched_->idle(); });
      in.swap(inbox_);
      cancels.swap(cancels_);
      stopping = stop_;
    }
    for (Pending& p : in) sched_->add(p.id, std::move(p.r), std::move(p.done), p.submit_ms);
    in.clear();
    for (uint64_t id : cancels) sched_->cancel(id);
    cancels.clear();
    if (stopping) {
      sched_->cancel_all();
    } else {
      sched_->step();
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      stats_.queued = sched_->n_queued();
      stats_.running = sched_->n_running();
      stats_.kv_blocks_used = kv_->n_used();
      stats_.cache_blocks = cache_ ? cache_->n_blocks() : 0;
      stats_.counters = sched_->counters();
      if (stopping && inbox_.empty()) return;
    }
  }
}

}  // namespace hymt
