// serve.cpp: start-up, /health and /metrics, signals and the drain on shutdown.
//
// Signals: SIGINT and SIGTERM are blocked in every thread (the mask is set before any thread
// starts) and taken by one thread with sigwait, so no handler runs in the middle of a request and
// the shutdown is ordinary code. SIGPIPE is ignored: a client that leaves mid-response is a failed
// write, not the death of the server.
#include "serve.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "http_server.h"
#include "libretranslate_api.h"
#include "native_api.h"
#include "openai_api.h"
#include "web_page.h"
#include "json_fields.h"
#include "runtime/scheduler.h"

namespace hymt::server {

namespace {

std::string base_name(const std::string& path) {
  std::string n = path.substr(path.find_last_of('/') + 1);
  if (n.size() > 5 && n.compare(n.size() - 5, 5, ".gguf") == 0) n.resize(n.size() - 5);
  return n;
}

void add_service_routes(HttpServer& http, Service& svc) {
  Service* s = &svc;
  http.add({"GET", "/health", Dialect::kOpenAI, false, false, [s](const httplib::Request&, httplib::Response& r, Call&) {
              if (!s->ready.load()) {
                r.status = 503;
                r.set_header("Retry-After", "2");
                r.set_content(dump({{"status", "loading model"}}), "application/json");
                return;
              }
              const EngineStats st = s->engine()->stats();
              r.set_content(dump({{"status", s->draining.load() ? "shutting down" : "ok"},
                                  {"slots_idle", std::max<int64_t>(0, s->opt.parallel - st.running)},
                                  {"slots_processing", st.running},
                                  {"queue", st.queued},
                                  {"requests_in_flight", s->in_flight()}}),
                            "application/json");
            }});
  http.add({"GET", "/metrics", Dialect::kOpenAI, false, true, [s](const httplib::Request&, httplib::Response& r, Call&) {
              EngineStats st;
              const bool ready = s->ready.load();
              if (ready) st = s->engine()->stats();
              r.set_content(s->metrics.render(ready ? &st : nullptr, s->in_flight(), s->opt.parallel, ready),
                            "text/plain; version=0.0.4");
            }});
}

}  // namespace

int run_server(const ServerOptions& opt) {
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGUSR1);  // internal: wakes the signal thread when the server ends on its own
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Service svc(opt);
  svc.model_id = base_name(opt.model);
  HttpServer http(svc);
  add_service_routes(http, svc);
  add_openai_routes(http, svc);
  add_libretranslate_routes(http, svc);
  add_native_routes(http, svc);
  add_web_routes(http);
  const int port = http.bind();
  if (port < 0) {
    std::fprintf(stderr, "hymt serve: cannot listen on %s:%d (in use, or not an address of this machine)\n",
                 opt.host.c_str(), opt.port);
    return 4;
  }
  std::fprintf(stderr, "hymt serve: listening on http://%s:%d\n", opt.host.c_str(), port);
  std::fprintf(stderr, "hymt serve: the translator's page is at http://%s:%d/\n",
               opt.host.find(':') != std::string::npos ? ("[" + opt.host + "]").c_str() : opt.host.c_str(), port);
  std::fflush(stderr);

  int exit_code = 0;
  std::thread loader([&] {
    EngineOptions eo;
    eo.n_threads = opt.threads;
    eo.max_seqs = opt.parallel;
    eo.n_ctx = opt.n_ctx;
    eo.cache_mb = opt.cache_mb;
    const double t0 = steady_ms();
    // Test hook: a slow load, so that tests can see /health answer 503 while loading.
    if (const char* d = std::getenv("HYMT_SERVE_TEST_LOAD_DELAY_MS"))
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(d)));
    auto e = Engine::open(opt.model, eo);
    if (!e.ok()) {
      std::fprintf(stderr, "hymt serve: %s\n", e.status().message().c_str());
      exit_code = 3;
      http.stop();
      return;
    }
    if (!e.value()->tokenizer()) {
      std::fprintf(stderr, "hymt serve: %s has no tokenizer vocabulary; it cannot serve text\n", opt.model.c_str());
      exit_code = 3;
      http.stop();
      return;
    }
    svc.set_engine(std::move(e).value());
    svc.ready.store(true);
    std::fprintf(stderr, "hymt serve: model %s loaded in %.1f s (%d slots of %lld positions, %d threads)%s\n",
                 svc.model_id.c_str(), (steady_ms() - t0) / 1000.0, opt.parallel, static_cast<long long>(opt.n_ctx),
                 opt.threads, opt.demo_model ? "; the bundled demo model knows only its training sentences" : "");
    std::fflush(stderr);
  });

  std::thread signals([&] {
    int sig = 0;
    sigwait(&sigs, &sig);
    if (sig == SIGUSR1) return;
    svc.draining.store(true);
    std::fprintf(stderr, "hymt serve: %s: finishing %lld requests in flight (at most %.0f s), then exiting\n",
                 sig == SIGINT ? "interrupted" : "terminated", static_cast<long long>(svc.in_flight()), opt.grace_s);
    std::fflush(stderr);
    http.stop();  // no new connections; serve() returns when the workers are done
    const double until = steady_ms() + opt.grace_s * 1000.0;
    while (svc.in_flight() > 0 && steady_ms() < until) {
      struct timespec ts = {0, 50 * 1000 * 1000};
      siginfo_t info{};
      const int got = sigtimedwait(&sigs, &info, &ts);
      if (got == SIGUSR1) return;  // the server has ended: nothing left to drain
      if (got > 0) break;          // a second SIGINT/SIGTERM: stop now
    }
    svc.cancel_all();  // whatever is left ends at the engine's next step
  });

  http.serve();
  loader.join();
  pthread_kill(signals.native_handle(), SIGUSR1);
  signals.join();
  svc.cancel_all();
  svc.reset_engine();  // ends anything still queued, stops the decode thread
  if (exit_code == 0) std::fprintf(stderr, "hymt serve: stopped\n");
  return exit_code;
}

}  // namespace hymt::server
