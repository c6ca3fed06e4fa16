// cmd_serve.cpp: `hymt serve`: the flags of the translation server (tools/server/serve.h). Without
// --model it serves $HYMT_MODEL or the bundled demo model, as `translate` does.
#include "cli_common.h"

#ifdef HYMT_HAVE_SERVER
#include <unistd.h>

#include <fstream>
#include <memory>

#include "serve.h"

namespace hymt::cli {

namespace {

struct ServeArgs {
  server::ServerOptions o;
  std::string key_file, log_format = "text";
};

int run_serve(ServeArgs& a) {
  server::ServerOptions& o = a.o;
  if (o.model.empty()) {
    o.model = default_model();
    if (o.model.empty() || access(o.model.c_str(), R_OK) != 0)
      return report(
          not_found("no --model given and the bundled demo model is missing; pass --model with an HY-MT GGUF file"));
    o.demo_model = !std::getenv("HYMT_MODEL") || !*std::getenv("HYMT_MODEL");
    if (o.demo_model) std::fprintf(stderr, "hymt: %s\n", kDemoModelNotice);
  }
  if (Status st = check_model_path(o.model); !st.ok()) return report(st);
  if (access(o.model.c_str(), R_OK) != 0) return report(not_found(o.model + ": cannot read the model file"));
  if (!a.key_file.empty()) {
    std::ifstream in(a.key_file);
    if (!in) return report(not_found(a.key_file + ": cannot read the API key file"));
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
      size_t b = line.find_first_not_of(" \t");
      if (b == std::string::npos || line[b] == '#') continue;
      o.api_keys.push_back(line.substr(b));
    }
    if (o.api_keys.empty()) return report(invalid_argument(a.key_file + ": no API keys in the file"));
  }
  for (const std::string& k : o.api_keys)
    if (k.empty()) return report(invalid_argument("--api-key must not be empty"));
  o.log_json = a.log_format == "json";
  return server::run_server(o);
}

}  // namespace

void register_serve(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ServeArgs>();
  server::ServerOptions& o = a->o;
  CLI::App* c = app.add_subcommand(
      "serve", "Serve translation over HTTP: OpenAI-compatible, LibreTranslate-compatible and native APIs");
  c->add_option("--model,-m", o.model, "GGUF model (default: $HYMT_MODEL or the bundled demo model)");
  c->add_option("--host", o.host, "Address to listen on (default 127.0.0.1: this machine only)");
  c->add_option("--port", o.port, "Port (default 8080; 0: any free port, printed at start)")->check(CLI::Range(0, 65535));
  add_threads_option(c, &o.threads, "--threads", "Compute threads");
  c->add_option("--parallel", o.parallel, "Slots: requests decoded together in one batch (default 4)")
      ->check(CLI::Range(1, 256));
  c->add_option("--n-ctx", o.n_ctx, "KV positions per slot: prompt + output (default 4096)")
      ->check(CLI::Range(int64_t{16}, int64_t{1} << 20));
  c->add_option("--max-queue", o.max_queue, "Requests waiting beyond the slots; more get 429 (default 64)")
      ->check(CLI::Range(0, 100000));
  c->add_option("--cache-mb", o.cache_mb, "Prefix KV cache kept between requests, MiB (default 128; 0: off)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 20));
  c->add_option("--api-key", o.api_keys, "An accepted API key (repeatable); without any, no key is needed")
      ->allow_extra_args(false);
  c->add_option("--api-key-file", a->key_file, "A file of API keys, one per line (# comments)");
  c->add_option("--cors", o.cors, "Allow browsers from this origin (Access-Control-Allow-Origin, e.g. *)");
  c->add_option("--timeout", o.timeout_s, "Per-request time limit in seconds (default 600)")
      ->check(CLI::Range(0.1, 1e7));
  c->add_option("--max-body", o.max_body, "Largest request body in bytes (default 1048576); more gets 413")
      ->check(CLI::Range(size_t{64}, size_t{1} << 34));
  c->add_option("--grace", o.grace_s, "On SIGTERM/SIGINT: seconds the requests in flight get to finish (default 30)")
      ->check(CLI::Range(0.0, 1e6));
  c->add_option("--log-format", a->log_format, "Request log on stderr: text or json (one line per request)")
      ->check(CLI::IsMember({"text", "json"}));
  c->callback([a, exit_code] { *exit_code = run_serve(*a); });
}

}  // namespace hymt::cli

#else  // built without the server (HYMT_BUILD_SERVER=OFF)

namespace hymt::cli {
void register_serve(CLI::App&, int*) {}
}  // namespace hymt::cli

#endif
