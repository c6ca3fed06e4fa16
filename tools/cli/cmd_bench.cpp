// cmd_bench.cpp: `hymt bench`: prefill (pp) and decode (tg) rates, time to first token and peak
// RSS, with commit, compiler, CPU and the kernel path. JSON output uses llama-bench's field names
// (n_prompt, n_gen, n_threads, avg_ts, stddev_ts, ...) so results can be compared directly.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_common.h"
#include "hymt_commit.h"
#include "core/rng.h"
#include "kernels/kernels.h"
#include "runtime/engine.h"

namespace hymt::cli {

namespace {

struct BenchArgs {
  std::string model, prompts = "512", gens = "128", threads = "2", seqs = "1";
  int reps = 3;
  int64_t n_ctx = 0;
  bool json = false;
  KvType kv = KvType::kF16;
};

Result<std::vector<int64_t>> parse_list(const std::string& s, const char* flag) {
  std::vector<int64_t> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    long long x = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || x < 0 || x > 1000000)
      return invalid_argument(std::string(flag) + ": '" + item + "' is not a non-negative integer");
    v.push_back(x);
  }
  if (v.empty()) return invalid_argument(std::string(flag) + ": empty list");
  return v;
}

std::string cpu_name() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("model name", 0) == 0 || line.rfind("Model", 0) == 0) {
      auto p = line.find(':');
      if (p != std::string::npos) return line.substr(p + 2);
    }
  return "unknown";
}

int64_t peak_rss_bytes() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<int64_t>(ru.ru_maxrss) * 1024;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Stats {
  double avg = 0, stddev = 0;
  std::vector<double> samples;
};
Stats stats_of(const std::vector<double>& ts) {
  Stats s;
  s.samples = ts;
  for (double x : ts) s.avg += x;
  s.avg /= static_cast<double>(ts.size());
  for (double x : ts) s.stddev += (x - s.avg) * (x - s.avg);
  s.stddev = ts.size() > 1 ? std::sqrt(s.stddev / static_cast<double>(ts.size() - 1)) : 0;
  return s;
}

int run_bench(const BenchArgs& a) {
  auto pp = parse_list(a.prompts, "-p");
  if (!pp.ok()) return report(pp.status());
  auto tg = parse_list(a.gens, "-n");
  if (!tg.ok()) return report(tg.status());
  auto th = parse_list(a.threads, "-t");
  if (!th.ok()) return report(th.status());
  if (a.reps < 1) return report(invalid_argument("-r must be at least 1"));
  for (int64_t t : *th)
    if (t < 1) return report(invalid_argument("-t: thread counts must be at least 1"));
  auto sq = parse_list(a.seqs, "-s");
  if (!sq.ok()) return report(sq.status());
  int64_t max_seqs = 1;
  for (int64_t s : *sq) {
    if (s < 1 || s > 64) return report(invalid_argument("-s: sequence counts must be in [1, 64]"));
    max_seqs = std::max(max_seqs, s);
  }

  const double t_load0 = now_s();
  if (Status st = check_model_path(a.model); !st.ok()) return report(st);
  auto loaded = Model::load(a.model);
  if (!loaded.ok()) return report(loaded.status());
  const double load_s = now_s() - t_load0;
  std::shared_ptr<const Model> shared(std::move(loaded).value());
  const Model& m = *shared;
  const HParams& hp = m.hparams();
  int64_t need = 1;
  for (int64_t p : *pp) need = std::max(need, p);
  for (int64_t g : *tg) need = std::max(need, g + 1);
  const int64_t n_ctx = a.n_ctx > 0 ? a.n_ctx : need;
  if (n_ctx < need) return report(invalid_argument("--n-ctx is smaller than the longest test"));

  uint64_t weight_bytes = 0;
  int64_t n_params = 0;
  for (const auto& t : m.gguf().tensors()) {
    weight_bytes += t.n_bytes;
    n_params += t.n_elements();
  }
  // Prompt ids: deterministic random ordinary tokens (below the added tokens at the top).
  const int64_t id_range = std::max<int64_t>(1, hp.n_vocab > 1074 ? hp.n_vocab - 818 : hp.n_vocab);
  std::vector<int32_t> ids(static_cast<size_t>(std::max(need, max_seqs)));
  SplitMix64 rng(1234);
  for (auto& id : ids) id = static_cast<int32_t>(rng.next() % static_cast<uint64_t>(id_range));

  nlohmann::json results = nlohmann::json::array();
  const std::string cpu = cpu_name();
  auto base = [&](int64_t threads) {
    nlohmann::json j;
    j["build_commit"] = HYMT_GIT_COMMIT;
    j["compiler"] = HYMT_COMPILER;
    j["cpu_info"] = cpu;
    j["backends"] = "CPU";
    j["isa"] = kernel_isa_name();
    j["model_filename"] = a.model;
    j["model_type"] = "hunyuan-dense " + std::to_string(hp.n_embd) + "x" + std::to_string(hp.n_layer);
    j["model_size"] = weight_bytes;
    j["model_n_params"] = n_params;
    j["n_threads"] = threads;
    j["n_ctx"] = n_ctx;
    j["type_k"] = kv_type_name(a.kv);  // llama-bench's names for the cache types
    j["type_v"] = kv_type_name(a.kv);
    j["load_s"] = load_s;
    return j;
  };

  if (!a.json)
    std::printf("| %-28s | %8s | %7s | %-6s | %7s | %10s | %16s |\n", "model", "size MiB", "params", "isa", "threads",
                "test", "t/s");
  // Every test is a request through the engine, the path `translate` and the server run: one
  // sequence, no prefix cache (repetitions must compute), plain argmax, no stop ids.
  // Sequence s of a batched decode test starts from a different one-token prompt (ids[s]).
  auto request = [&](int64_t n_prompt, int64_t n_gen, int64_t first = 0) {
    Request rq;
    rq.prompt.assign(ids.begin() + static_cast<long>(first), ids.begin() + static_cast<long>(first + n_prompt));
    rq.max_new_tokens = n_gen;
    rq.sampling.loop_guard = false;
    rq.prefix_cache = false;
    rq.logprobs = false;  // the old bench loop chose by argmax alone
    return rq;
  };
  for (int64_t threads : *th) {
    EngineOptions eo;
    eo.n_threads = static_cast<int>(threads);
    eo.max_seqs = static_cast<int>(max_seqs);
    eo.n_ctx = n_ctx;
    eo.kv_type = a.kv;
    eo.cache_mb = 0;
    eo.step_tokens = need;  // a prompt in one pass, as llama-bench's pp
    Engine engine(shared, nullptr, eo);
    // Warm-up: touch every weight once so the first repetition does not measure page faults.
    if (auto w = engine.run(request(1, 1)); !w.ok()) return report(w.status());
    auto emit = [&](int64_t n_prompt, int64_t n_gen, const std::vector<double>& ts, double ttft_ms,
                    int64_t n_seqs = 1) {
      Stats st = stats_of(ts);
      nlohmann::json j = base(threads);
      j["n_prompt"] = n_prompt;
      j["n_gen"] = n_gen;
      j["n_seqs"] = n_seqs;
      j["avg_ts"] = st.avg;
      j["stddev_ts"] = st.stddev;
      j["samples_ts"] = st.samples;
      j["avg_ns"] = static_cast<int64_t>(1e9 * static_cast<double>(n_prompt + n_gen) / st.avg);
      if (ttft_ms >= 0) j["ttft_ms"] = ttft_ms;
      j["peak_rss_bytes"] = peak_rss_bytes();
      results.push_back(j);
      if (!a.json) {
        char test[32];
        if (n_seqs > 1)
          std::snprintf(test, sizeof test, "tg%lld x%lld", static_cast<long long>(n_gen),
                        static_cast<long long>(n_seqs));
        else
          std::snprintf(test, sizeof test, n_prompt ? "pp%lld" : "tg%lld",
                        static_cast<long long>(n_prompt ? n_prompt : n_gen));
        std::string name = a.model.substr(a.model.find_last_of('/') == std::string::npos ? 0 : a.model.find_last_of('/') + 1);
        std::printf("| %-28.28s | %8.1f | %6.2fB | %-6s | %7lld | %10s | %8.2f ± %5.2f |\n", name.c_str(),
                    static_cast<double>(weight_bytes) / 1048576.0, static_cast<double>(n_params) / 1e9,
                    kernel_isa_name(), static_cast<long long>(threads), test, st.avg, st.stddev);
        std::fflush(stdout);
      }
    };
    for (int64_t p : *pp) {
      if (p == 0) continue;
      std::vector<double> ts;
      double ttft = 0;
      for (int r = 0; r < a.reps; ++r) {
        const double t0 = now_s();
        auto res = engine.run(request(p, 1));  // one forward pass over p tokens, one token chosen
        if (!res.ok()) return report(res.status());
        const double dt = now_s() - t0;
        ts.push_back(static_cast<double>(p) / dt);
        ttft += dt * 1000.0 / a.reps;
      }
      emit(p, 0, ts, ttft);
    }
    for (int64_t g : *tg) {
      if (g == 0) continue;
      for (int64_t ns : *sq) {
        std::vector<double> ts;
        for (int r = 0; r < a.reps; ++r) {
          // g forward passes of one token each: the first token alone, then g - 1 decode steps.
          // With ns sequences, all are submitted at once and decode in one batch per step (the
          // server's --parallel): the rate is the aggregate, ns * g tokens over the wall time.
          const double t0 = now_s();
          std::vector<std::future<Result<RequestResult>>> futs;
          for (int64_t s = 0; s < ns; ++s) futs.push_back(engine.submit(request(1, g, s)));
          for (auto& f : futs) {
            auto res = f.get();
            if (!res.ok()) return report(res.status());
          }
          ts.push_back(static_cast<double>(ns * g) / (now_s() - t0));
        }
        emit(0, g, ts, -1, ns);
      }
    }
  }
  if (a.json) std::printf("%s\n", results.dump(2).c_str());
  else std::printf("\nisa %s, %s, commit %s, peak RSS %.1f MiB, n_ctx %lld, kv %s\n", kernel_isa_name(), HYMT_COMPILER,
                   HYMT_GIT_COMMIT, static_cast<double>(peak_rss_bytes()) / 1048576.0, static_cast<long long>(n_ctx), kv_type_name(a.kv));
  return kExitOk;
}

}  // namespace

void register_bench(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<BenchArgs>();
  CLI::App* c = app.add_subcommand("bench", "Measure prefill and decode speed (llama-bench compatible JSON)");
  c->add_option("--model,-m", a->model, "GGUF model file")->required();
  c->add_option("-p,--n-prompt", a->prompts, "Prompt lengths, comma-separated (default 512)");
  c->add_option("-n,--n-gen", a->gens, "Generated tokens, comma-separated (default 128)");
  add_kv_type_option(c, &a->kv);
  a->threads = std::to_string(default_threads());
  c->add_option("-t,--threads", a->threads,
                "Thread counts, comma-separated (default " + a->threads + ": the physical cores this process may use)");
  c->add_option("-s,--sequences", a->seqs,
                "Sequences decoding together in the tg tests, comma-separated (default 1); the rate is the aggregate");
  c->add_option("-r,--repetitions", a->reps, "Repetitions per test (default 3)");
  c->add_option("--n-ctx", a->n_ctx, "KV-cache positions (default: the longest test)");
  c->add_flag("--json", a->json, "Print JSON (llama-bench field names)");
  c->callback([a, exit_code] { *exit_code = run_bench(*a); });
}

}  // namespace hymt::cli
