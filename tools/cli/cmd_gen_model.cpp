// cmd_gen_model.cpp: `hymt gen-model`: writes a random-weight HunYuan-dense GGUF of any shape and
// weight type (presets: tiny, hy-mt1.5-1.8b, hy-mt2-1.8b, hy-mt2-7b).
#include <unistd.h>

#include <memory>

#include "cli_common.h"
#include "cli_signals.h"
#include "convert/random_model.h"

namespace hymt::cli {

namespace {

struct GenModelArgs {
  std::string output, preset = "tiny", type = "F32", embd_type;
  int64_t n_vocab = -1, n_embd = -1, n_layer = -1, n_head = -1, n_head_kv = -1, head_dim = -1, n_ff = -1;
  uint64_t seed = 42;
  bool untied = false;
  int threads = 0;
};

int run_gen_model(const GenModelArgs& a) {
  remove_temp_files_on_signals();
  auto cfg = random_model_preset(a.preset);
  if (!cfg.ok()) return report(cfg.status());
  RandomModelConfig c = cfg.value();
  auto t = parse_type_name(a.type);
  if (!t) return report(invalid_argument("unknown weight type '" + a.type + "'"));
  c.type = *t;
  if (!a.embd_type.empty()) {
    auto e = parse_type_name(a.embd_type);
    if (!e) return report(invalid_argument("unknown embedding type '" + a.embd_type + "'"));
    c.embd_type = *e;
  }
  auto set = [](int64_t v, int64_t* dst) {
    if (v >= 0) *dst = v;
  };
  set(a.n_vocab, &c.n_vocab);
  set(a.n_embd, &c.n_embd);
  set(a.n_layer, &c.n_layer);
  set(a.n_head, &c.n_head);
  set(a.n_head_kv, &c.n_head_kv);
  set(a.head_dim, &c.head_dim);
  set(a.n_ff, &c.n_ff);
  c.seed = a.seed;
  c.tied = !a.untied;
  c.n_threads = a.threads;
  const bool tty = isatty(fileno(stderr));
  auto progress = [tty](size_t done, size_t total) {
    if (tty) std::fprintf(stderr, "\rwriting tensors: %zu/%zu", done, total);
    if (tty && done == total) std::fprintf(stderr, "\n");
  };
  return report(write_random_model(c, a.output, progress));
}

}  // namespace

void register_gen_model(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<GenModelArgs>();
  CLI::App* c = app.add_subcommand("gen-model", "Write a random-weight HunYuan-dense GGUF model");
  c->add_option("--output,-o", a->output, "Output GGUF file")->required();
  c->add_option("--preset", a->preset, "Shape preset: tiny, hy-mt1.5-1.8b, hy-mt2-1.8b, hy-mt2-7b");
  c->add_option("--type", a->type, "Weight type of the layer matrices (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q4_K, Q5_K, Q6_K, TQ1_0, TQ2_0, Q2_0C, STQ1_0, STQ1_0_CONSEC)");
  c->add_option("--embedding-type", a->embd_type, "Weight type of token_embd (default: --type)");
  c->add_option("--n-vocab", a->n_vocab, "Vocabulary size (>= 1074)");
  c->add_option("--n-embd", a->n_embd, "Hidden size");
  c->add_option("--n-layer", a->n_layer, "Layers");
  c->add_option("--n-head", a->n_head, "Query heads");
  c->add_option("--n-head-kv", a->n_head_kv, "Key/value heads");
  c->add_option("--head-dim", a->head_dim, "Head dimension (even)");
  c->add_option("--n-ff", a->n_ff, "Feed-forward size");
  c->add_option("--seed", a->seed, "Random seed");
  c->add_flag("--untied", a->untied, "Write a separate output.weight");
  add_threads_option(c, &a->threads);
  c->callback([a, exit_code] { *exit_code = run_gen_model(*a); });
}

}  // namespace hymt::cli
