// cmd_translate.cpp: `hymt translate`: translates a text argument, stdin or a file (-i) into
// --to, line by line (blank lines and line structure kept), with the model's official prompts.
// Without --model it uses the bundled demo model and says so. Output goes to stdout or, with -o,
// to a file written atomically. --json prints per-segment details.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "io/file_util.h"
#include "translate/translator.h"

#ifndef HYMT_DEFAULT_MODEL
#define HYMT_DEFAULT_MODEL ""
#endif

namespace hymt::cli {

namespace {

struct TranslateArgs {
  std::string text, model, from = "auto", to, input, output, family;
  int threads = 2;
  int64_t max_tokens = 0, n_ctx = 4096;
  bool json = false, quiet = false;
};

std::string default_model() {
  if (const char* env = std::getenv("HYMT_MODEL"); env && *env) return env;
  return HYMT_DEFAULT_MODEL;
}

int run_translate(const TranslateArgs& a) {
  const Language* to = find_language(a.to);
  if (!to)
    return report(invalid_argument("unknown target language '" + a.to + "'; HY-MT translates into: " + language_code_list()));
  const Language* from = nullptr;
  if (a.from != "auto") {
    from = find_language(a.from);
    if (!from)
      return report(invalid_argument("unknown source language '" + a.from + "'; known: auto, " + language_code_list()));
  }
  if (!a.text.empty() && !a.input.empty()) return report(invalid_argument("give either a text argument or -i FILE, not both"));
  std::string input;
  if (!a.text.empty()) {
    input = a.text;
  } else if (!a.input.empty()) {
    auto r = read_file(a.input);
    if (!r.ok()) return report(r.status());
    input = std::move(r).value();
  } else {
    input.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  bool has_text = false;
  for (char c : input) has_text |= !std::isspace(static_cast<unsigned char>(c));
  if (!has_text) return report(invalid_argument("nothing to translate: the input is empty"));

  std::string model = a.model;
  if (model.empty()) {
    model = default_model();
    if (model.empty() || access(model.c_str(), R_OK) != 0)
      return report(not_found("no --model given and the bundled demo model is missing; pass --model with an HY-MT GGUF file"));
    if (!a.quiet)
      std::fprintf(stderr,
                   "hymt: using the bundled demo model, a test fixture that knows only its training sentences; for real "
                   "translation pass --model with an official HY-MT GGUF (Tencent publishes them on Hugging Face, e.g. "
                   "tencent/HY-MT1.5-1.8B-GGUF)\n");
  }
  auto tr = Translator::open(model, a.threads);
  if (!tr.ok()) return report(tr.status());
  Translator& t = *tr.value();
  if (!a.family.empty()) {
    PromptFamily f;
    if (!parse_prompt_family(a.family, &f)) return report(invalid_argument("--prompt-family must be hy-mt1.5 or hy-mt2"));
    t.set_family(f);
  }

  // Segments: each non-blank line; everything else is copied through unchanged.
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= input.size()) {
    size_t nl = input.find('\n', start);
    if (nl == std::string::npos) nl = input.size();
    lines.push_back(input.substr(start, nl - start));
    start = nl + 1;
  }
  const bool ends_with_newline = !input.empty() && input.back() == '\n';
  if (ends_with_newline) lines.pop_back();
  int n_segments = 0;
  for (const auto& l : lines) n_segments += l.find_first_not_of(" \t\r") != std::string::npos;
  const bool stream = a.output.empty() && !a.json && n_segments == 1;

  std::string out;
  nlohmann::json segs = nlohmann::json::array();
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) {
      out += line;
    } else {
      const size_t e = line.find_last_not_of(" \t\r") + 1;
      TranslateOptions opt;
      opt.from = from;
      opt.to = to;
      opt.max_new_tokens = a.max_tokens;
      opt.n_ctx = a.n_ctx;
      if (stream) {
        std::fwrite(line.data(), 1, b, stdout);
        opt.on_text = [](const std::string& piece) {
          std::fwrite(piece.data(), 1, piece.size(), stdout);
          std::fflush(stdout);
        };
      }
      auto r = t.translate(line.substr(b, e - b), opt);
      if (!r.ok()) return report(r.status());
      out += line.substr(0, b) + r->output + line.substr(e);
      if (stream) std::fputs(line.substr(e).c_str(), stdout);
      segs.push_back({{"source", r->source},
                      {"output", r->output},
                      {"from", r->from ? r->from->code : "unknown"},
                      {"to", to->code},
                      {"prompt_tokens", r->n_prompt_tokens},
                      {"output_tokens", r->n_output_tokens},
                      {"prefill_ms", r->prefill_ms},
                      {"decode_ms", r->decode_ms},
                      {"confidence", r->mean_logprob},
                      {"hit_token_limit", r->hit_token_limit}});
    }
    if (i + 1 < lines.size() || ends_with_newline) {
      out += '\n';
      if (stream) std::fputc('\n', stdout);
    }
  }
  if (!a.output.empty()) {
    if (a.json) {
      const std::string j = nlohmann::json{{"segments", segs}, {"output", out}}.dump(2) + "\n";
      return report(write_file_atomic(a.output, j.data(), j.size()));
    }
    return report(write_file_atomic(a.output, out.data(), out.size()));
  }
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"segments", segs}, {"output", out}}.dump(2).c_str());
  } else if (!stream) {
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (!ends_with_newline) std::fputc('\n', stdout);
  } else if (!ends_with_newline) {
    std::fputc('\n', stdout);
  }
  return kExitOk;
}

}  // namespace

void register_translate(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<TranslateArgs>();
  CLI::App* c = app.add_subcommand("translate", "Translate text, stdin or a file");
  c->add_option("text", a->text, "Text to translate (default: stdin)");
  c->add_option("--to,-t", a->to, "Target language (code, FLORES code or name; see `hymt languages`)")->required();
  c->add_option("--from,-f", a->from, "Source language (default: auto)");
  c->add_option("--model,-m", a->model, "GGUF model (default: $HYMT_MODEL or the bundled demo model)");
  c->add_option("-i,--input", a->input, "Input file");
  c->add_option("-o,--output", a->output, "Output file (written atomically)");
  c->add_option("--threads", a->threads, "Threads (default 2)");
  c->add_option("--max-tokens", a->max_tokens, "Token budget per segment (default: 2 x source + 64)");
  c->add_option("--n-ctx", a->n_ctx, "KV-cache positions per segment (default 4096)");
  c->add_option("--prompt-family", a->family, "Prompt set: hy-mt1.5 or hy-mt2 (default: from the model)");
  c->add_flag("--json", a->json, "Print per-segment JSON (source, output, tokens, timings, confidence)");
  c->add_flag("--quiet,-q", a->quiet, "No notices on stderr");
  c->callback([a, exit_code] { *exit_code = run_translate(*a); });
}

void register_languages(CLI::App& app, int* exit_code) {
  CLI::App* c = app.add_subcommand("languages", "List the languages HY-MT translates");
  c->callback([exit_code] {
    std::printf("%-8s %-9s %-20s %s\n", "code", "flores", "english", "chinese");
    for (const Language& l : hy_languages())
      std::printf("%-8s %-9s %-20s %s\n", l.code.c_str(), l.flores.c_str(), l.english.c_str(), l.chinese.c_str());
    *exit_code = kExitOk;
  });
}

}  // namespace hymt::cli
