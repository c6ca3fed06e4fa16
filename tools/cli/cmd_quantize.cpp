// cmd_quantize.cpp: `hymt quantize IN.gguf OUT.gguf --type TYPE [--embedding-type T]`: re-encodes
// a model with the official files' mixed-precision policy, showing progress on stderr.
#include <unistd.h>

#include <chrono>
#include <memory>

#include "cli_common.h"
#include "cli_signals.h"
#include "convert/quantize.h"

namespace hymt::cli {

namespace {

struct QuantizeArgs {
  std::string in, out, type, embd_type;
  int threads = 0;
};

int run_quantize(const QuantizeArgs& a) {
  remove_temp_files_on_signals();
  QuantizeOptions opt;
  opt.type = a.type;
  opt.embedding_type = a.embd_type;
  opt.n_threads = a.threads;
  opt.warn = [](const std::string& m) { std::fprintf(stderr, "hymt: warning: %s\n", m.c_str()); };
  const bool tty = isatty(fileno(stderr));
  const auto t0 = std::chrono::steady_clock::now();
  opt.progress = [tty](size_t done, size_t total, const std::string& name) {
    if (tty) {
      std::fprintf(stderr, "\r\033[Kquantizing [%zu/%zu] %s", done, total, name.c_str());
      if (done == total) std::fprintf(stderr, "\n");
    } else if (done == total || done % 50 == 0) {
      std::fprintf(stderr, "quantizing: %zu/%zu tensors\n", done, total);
    }
  };
  Status st = quantize_model(a.in, a.out, opt);
  if (!st.ok()) return report(st);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "hymt: wrote %s (%s) in %.1f s\n", a.out.c_str(), a.type.c_str(), s);
  return kExitOk;
}

}  // namespace

void register_quantize(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<QuantizeArgs>();
  CLI::App* c = app.add_subcommand("quantize", "Quantize a GGUF model (STQ1_0, Q2_0C, Q4_K_M, Q6_K, Q8_0, ...)");
  c->add_option("input", a->in, "Input GGUF file")->required();
  c->add_option("output", a->out, "Output GGUF file")->required();
  c->add_option("--type", a->type,
                "Target: STQ1_0, STQ1_0_CONSEC (consecutive lanes), Q2_0C, Q4_K_M, Q4_K_S, Q5_K_M, Q5_K_S, Q6_K, Q8_0, "
                "Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, "
                "TQ1_0, TQ2_0, F16, BF16, F32")
      ->required();
  c->add_option("--embedding-type", a->embd_type, "Type of token_embd / tied head (default Q6_K for low-bit types)");
  add_threads_option(c, &a->threads);
  c->callback([a, exit_code] { *exit_code = run_quantize(*a); });
}

}  // namespace hymt::cli
