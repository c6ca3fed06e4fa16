// cmd_generate.cpp: `hymt generate`: greedy continuation of a list of token ids through the engine
// (prints the new ids comma-separated, streamed as they are chosen).
#include <memory>

#include "cli_common.h"
#include "runtime/engine.h"
#include "runtime/stop_ids.h"

namespace hymt::cli {

namespace {

struct GenerateArgs {
  std::string model, ids;
  int64_t n = 32;
  int threads = 1;
  int64_t n_ctx = 4096;
  bool ignore_eos = false;
  KvType kv = KvType::kF16;
};

int run_generate(const GenerateArgs& a) {
  auto ids = parse_ids(a.ids);
  if (!ids.ok()) return report(ids.status());
  if (a.n < 0) return report(invalid_argument("-n must not be negative"));
  if (Status st = check_model_path(a.model); !st.ok()) return report(st);
  auto loaded = Model::load(a.model);
  if (!loaded.ok()) return report(loaded.status());
  std::shared_ptr<const Model> m(std::move(loaded).value());
  const int64_t need = static_cast<int64_t>(ids->size()) + a.n;
  if (a.n_ctx < static_cast<int64_t>(ids->size()))
    return report(invalid_argument("--n-ctx " + std::to_string(a.n_ctx) + " cannot hold the prompt"));
  if (a.n == 0) {
    std::printf("\n");
    return kExitOk;
  }
  EngineOptions eo;
  eo.n_threads = a.threads;
  eo.max_seqs = 1;
  eo.n_ctx = std::min(a.n_ctx, std::max<int64_t>(need, 1));
  eo.kv_type = a.kv;
  eo.cache_mb = 0;
  Engine engine(m, nullptr, eo);
  Request rq;
  rq.prompt = *ids;
  rq.max_new_tokens = a.n;
  // Plain argmax, as the model's logits say: no loop guard, no penalty.
  rq.sampling.loop_guard = false;
  rq.logprobs = false;  // only the ids are printed
  if (!a.ignore_eos) rq.stop_ids = default_stop_ids(*m);
  bool first = true;
  auto print = [&first](int32_t id) {
    std::printf("%s%d", first ? "" : ",", id);
    std::fflush(stdout);
    first = false;
  };
  rq.on_token = [&print](const TokenEvent& e) {
    print(e.id);
    return true;
  };
  auto out = engine.run(std::move(rq));
  // The stop token ends the list (it is what the model chose).
  if (out.ok() && out->stop == StopReason::kStopToken) print(out->stop_id);
  std::printf("\n");
  return report(out.status());
}

}  // namespace

void register_generate(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<GenerateArgs>();
  CLI::App* c = app.add_subcommand("generate", "Greedy continuation of token ids");
  c->add_option("--model,-m", a->model, "GGUF model file")->required();
  c->add_option("--ids", a->ids, "Comma-separated prompt token ids")->required();
  c->add_option("-n,--n-predict", a->n, "Maximum new tokens (default 32)");
  add_threads_option(c, &a->threads);
  c->add_option("--n-ctx", a->n_ctx, "KV-cache positions (default 4096)");
  add_kv_type_option(c, &a->kv);
  c->add_flag("--ignore-eos", a->ignore_eos, "Do not stop at end-of-sequence tokens");
  c->callback([a, exit_code] { *exit_code = run_generate(*a); });
}

}  // namespace hymt::cli
