// service.h: what every API handler shares: the options, the engine (once loaded), the metrics, the
// translated-file store, and the admission count that bounds the queue. One Service per server.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <thread>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "file_store.h"
#include "metrics.h"
#include "runtime/engine.h"

namespace hymt::server {

struct ServerOptions {
  std::string model;  // GGUF path (required by run_server; the CLI picks the default)
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (printed)
  int threads = 2;
  int parallel = 4;         // slots: sequences decoded together
  int64_t n_ctx = 4096;     // KV positions per slot
  int max_queue = 64;       // requests admitted beyond the slots; more get 429
  int64_t cache_mb = 128;   // prefix cache
  std::vector<std::string> api_keys;
  std::string cors;          // Access-Control-Allow-Origin value ("" : no CORS headers)
  double timeout_s = 600;    // per request
  size_t max_body = 1 << 20;
  bool log_json = false;
  double grace_s = 30;       // SIGTERM: time in-flight requests get to finish
  bool demo_model = false;   // serving the bundled demo model (said in the log and /v1/models)
};

class Service {
 public:
  explicit Service(const ServerOptions& o);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  const ServerOptions& opt;
  Metrics metrics;
  FileStore files;
  std::string model_id;  // the file's base name without .gguf

  std::atomic<bool> ready{false}, draining{false};
  Engine* engine() const { return engine_.get(); }
  void set_engine(std::unique_ptr<Engine> e) { engine_ = std::move(e); }
  void reset_engine() { engine_.reset(); }

  // Admission: model requests in flight (queued or running) are at most parallel + max_queue.
  bool try_admit();
  void release();
  int64_t in_flight() const { return in_flight_.load(); }

  // Every in-flight request's cancel flag with its deadline: a watchdog thread sets the flag when
  // the deadline passes (--timeout), and a shutdown past its grace period sets them all.
  void track(const std::shared_ptr<std::atomic<bool>>& f, double deadline_ms);
  void untrack(const std::shared_ptr<std::atomic<bool>>& f);
  void cancel_all();

  double timeout_ms() const { return opt.timeout_s * 1000.0; }

 private:
  std::unique_ptr<Engine> engine_;
  std::atomic<int64_t> in_flight_{0};
  void watchdog();
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::shared_ptr<std::atomic<bool>>, double> active_;  // flag -> deadline (steady ms)
  bool cancelled_all_ = false, stop_ = false;
  std::thread watchdog_;  // last: starts after the members above exist
};

// Holds one admission taken with Service::try_admit (and a cancel flag registered with the
// service) for as long as a request runs, streamed responses included: the stream's state owns it.
class Admission {
 public:
  explicit Admission(Service& s);
  ~Admission() {
    s_.untrack(cancel_);
    s_.release();
  }
  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;
  const std::shared_ptr<std::atomic<bool>>& cancel() const { return cancel_; }
  double deadline_ms() const { return deadline_ms_; }
  bool timed_out() const;  // the deadline has passed

 private:
  Service& s_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  double deadline_ms_;
};

}  // namespace hymt::server
