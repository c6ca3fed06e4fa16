// cmd_convert.cpp: `hymt convert HF_DIR OUT.gguf [--type auto|F32|F16|BF16|Q8_0|...]`: a Hugging Face
// HunYuan-dense checkpoint folder (config.json, safetensors, tokenizer.json) to GGUF, a thin layer
// over convert/convert_hf.h. Prints what it read from config.json (with the folded RoPE base) on stderr.
#include <chrono>
#include <memory>

#include "cli_common.h"
#include "cli_signals.h"
#include "convert/convert_hf.h"

namespace hymt::cli {

namespace {

struct ConvertArgs {
  std::string in, out, type = "auto", embd_type;
  int threads = 0;
};

int run_convert(const ConvertArgs& a) {
  remove_temp_files_on_signals();
  // The summary comes first (a big checkpoint takes a while); errors are left to the converter, which
  // reports them with the same words.
  if (auto cfg = read_hf_config(a.in + "/config.json"); cfg.ok()) {
    const HfConfig& c = cfg.value();
    char alpha[48] = "";
    if (c.rope_alpha > 0) std::snprintf(alpha, sizeof alpha, ", alpha %g", c.rope_alpha);
    std::fprintf(stderr,
               "hymt: %s: %lld layers, hidden %lld, heads %lld/%lld x %lld, ffn %lld, vocab %lld, rope base %.9g "
               "(theta %.9g, %s%s)\n",
               a.in.c_str(), static_cast<long long>(c.n_layer), static_cast<long long>(c.n_embd),
               static_cast<long long>(c.n_head), static_cast<long long>(c.n_head_kv), static_cast<long long>(c.head_dim),
               static_cast<long long>(c.n_ff), static_cast<long long>(c.n_vocab), c.rope_base, c.rope_theta,
               c.rope_type.c_str(), alpha);
  }
  ConvertOptions opt;
  opt.type = a.type;
  opt.embedding_type = a.embd_type;
  opt.n_threads = a.threads;
  opt.warn = [](const std::string& m) { std::fprintf(stderr, "hymt: warning: %s\n", m.c_str()); };
  const auto t0 = std::chrono::steady_clock::now();
  Status st = convert_hf_to_gguf(a.in, a.out, opt);
  if (!st.ok()) return report(st);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "hymt: wrote %s (%s) in %.1f s\n", a.out.c_str(), a.type.c_str(), s);
  return kExitOk;
}

}  // namespace

void register_convert(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ConvertArgs>();
  CLI::App* c = app.add_subcommand("convert", "Convert a Hugging Face HunYuan-dense checkpoint folder to GGUF");
  c->add_option("input", a->in, "Folder with config.json, model.safetensors (or shards + index), tokenizer.json")
      ->required();
  c->add_option("output", a->out, "Output GGUF file")->required();
  c->add_option("--type", a->type,
                "auto (keep the checkpoint's F32/F16/BF16), F32, F16, BF16, or any `hymt quantize` type");
  c->add_option("--embedding-type", a->embd_type, "Type of token_embd / output (default: the type's policy)");
  add_threads_option(c, &a->threads);
  c->callback([a, exit_code] { *exit_code = run_convert(*a); });
}

}  // namespace hymt::cli
