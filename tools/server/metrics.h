// metrics.h: the server's counters and histograms, rendered in the Prometheus text exposition
// format for GET /metrics. Everything here is cheap and thread-safe (one mutex; a request touches
// it a few times). The engine's own counters (tokens, cache hits, queue, slots) are read at scrape
// time from EngineStats, so there is one source of truth for them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/engine.h"

namespace hymt::server {

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}
  void observe(double v);
  // "<name>_bucket{le=...} n" lines (cumulative), _sum and _count.
  void render(const std::string& name, std::string* out) const;

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bucket, not cumulative; the last one is +Inf
  double sum_ = 0;
  uint64_t count_ = 0;
};

class Metrics {
 public:
  Metrics();
  void request_done(const std::string& route, int status, double ms);
  void ttft(double ms);
  void rejected_busy() { ++busy_rejections_; }
  // Prompt and generated tokens of translation requests and completions, as the server counted
  // them per request (the engine's counters also include retries).
  void tokens(int64_t prompt, int64_t generated, int64_t cached);

  std::string render(const EngineStats* engine, int64_t http_inflight, int parallel, bool ready) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  Histogram latency_, ttft_;
  uint64_t busy_rejections_ = 0;
  int64_t prompt_ = 0, generated_ = 0, cached_ = 0;
};

}  // namespace hymt::server
