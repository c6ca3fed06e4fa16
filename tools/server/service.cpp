// service.cpp: admission, the registry of cancel flags and the timeout watchdog.
#include "service.h"

#include "runtime/scheduler.h"

namespace hymt::server {

Service::Service(const ServerOptions& o) : opt(o), watchdog_([this] { watchdog(); }) {}

Service::~Service() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  watchdog_.join();
}

bool Service::try_admit() {
  const int64_t limit = static_cast<int64_t>(opt.parallel) + opt.max_queue;
  int64_t cur = in_flight_.load();
  while (cur < limit)
    if (in_flight_.compare_exchange_weak(cur, cur + 1)) return true;
  return false;
}

void Service::release() { in_flight_.fetch_sub(1); }

void Service::track(const std::shared_ptr<std::atomic<bool>>& f, double deadline_ms) {
  std::lock_guard<std::mutex> lk(mu_);
  active_[f] = deadline_ms;
  if (cancelled_all_) f->store(true);
}

void Service::untrack(const std::shared_ptr<std::atomic<bool>>& f) {
  std::lock_guard<std::mutex> lk(mu_);
  active_.erase(f);
}

void Service::cancel_all() {
  std::lock_guard<std::mutex> lk(mu_);
  cancelled_all_ = true;
  for (const auto& [f, d] : active_) f->store(true);
}

// Four times a second: a request past its deadline is cancelled (the engine drops it at its next
// step, and its handler answers 504).
void Service::watchdog() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!stop_) {
    cv_.wait_for(lk, std::chrono::milliseconds(250));
    const double now = steady_ms();
    for (const auto& [f, d] : active_)
      if (now >= d) f->store(true);
  }
}

Admission::Admission(Service& s)
    : s_(s), cancel_(std::make_shared<std::atomic<bool>>(false)), deadline_ms_(steady_ms() + s.timeout_ms()) {
  s_.track(cancel_, deadline_ms_);
}

bool Admission::timed_out() const { return steady_ms() >= deadline_ms_; }

}  // namespace hymt::server
