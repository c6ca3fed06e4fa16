// cmd_logits.cpp: `hymt logits`: float32 little-endian logits for every position,
// [n_ids x n_vocab], from one batched prefill or (--incremental) one token at a time.
#include <memory>

#include "cli_common.h"
#include "io/file_util.h"
#include "model/session.h"

namespace hymt::cli {

namespace {

struct LogitsArgs {
  std::string model, ids, output;
  int threads = 1;
  int64_t n_ctx = 0;
  bool incremental = false;
  KvType kv = KvType::kF32;  // exact attention: this command is the numerics check
};

int run_logits(const LogitsArgs& a) {
  auto ids = parse_ids(a.ids);
  if (!ids.ok()) return report(ids.status());
  if (Status st = check_model_path(a.model); !st.ok()) return report(st);
  auto loaded = Model::load(a.model);
  if (!loaded.ok()) return report(loaded.status());
  const Model& m = *loaded.value();
  const int64_t n = static_cast<int64_t>(ids->size());
  const int64_t n_vocab = m.hparams().n_vocab;
  const int64_t n_ctx = a.n_ctx > 0 ? a.n_ctx : n;
  if (n_ctx < n) return report(invalid_argument("--n-ctx " + std::to_string(n_ctx) + " is smaller than the " +
                                                std::to_string(n) + " ids"));
  ThreadPool pool(a.threads);
  Session s(m, n_ctx, a.kv);
  std::vector<float> logits(static_cast<size_t>(n * n_vocab));
  if (a.incremental) {
    for (int64_t t = 0; t < n; ++t) {
      Status st = s.forward(ids->data() + t, 1, pool, logits.data() + t * n_vocab, false);
      if (!st.ok()) return report(st);
    }
  } else {
    Status st = s.forward(ids->data(), n, pool, logits.data(), true);
    if (!st.ok()) return report(st);
  }
  return report(write_file_atomic(a.output, logits.data(), logits.size() * sizeof(float)));
}

}  // namespace

void register_logits(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<LogitsArgs>();
  CLI::App* c = app.add_subcommand("logits", "Write float32 logits [n_ids x n_vocab] for a list of token ids");
  c->add_option("--model,-m", a->model, "GGUF model file")->required();
  c->add_option("--ids", a->ids, "Comma-separated token ids")->required();
  c->add_option("--output,-o", a->output, "Output file (raw little-endian float32)")->required();
  add_threads_option(c, &a->threads, "--threads,-t", "Threads (results do not depend on it)");
  c->add_option("--n-ctx", a->n_ctx, "KV-cache positions (default: number of ids)");
  add_kv_type_option(c, &a->kv);
  c->add_flag("--incremental", a->incremental, "Feed ids one at a time through the KV cache");
  c->callback([a, exit_code] { *exit_code = run_logits(*a); });
}

}  // namespace hymt::cli
