// cmd_tokenize.cpp: `hymt tokenize` and `hymt detokenize`, thin layers over tokenizer/tokenizer.h.
// The tokenizer comes from a GGUF model (--model) or a Hugging Face tokenizer.json (--tokenizer,
// optionally with --tokenizer-config). --lines reads stdin and splits it on '\n' only (a '\r' stays
// in its line) so that scripts can compare whole corpora against a reference in one run; --bench
// measures encode speed on the same input.
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_common.h"
#include "io/gguf.h"
#include "tokenizer/tokenizer.h"

namespace hymt::cli {

namespace {

struct Source {
  std::string model, tokenizer, config;
};

void add_source_options(CLI::App* c, Source* s) {
  c->add_option("--model,-m", s->model, "GGUF model whose tokenizer.ggml.* keys to use");
  c->add_option("--tokenizer", s->tokenizer, "Hugging Face tokenizer.json");
  c->add_option("--tokenizer-config", s->config, "tokenizer_config.json (added tokens, eos) with --tokenizer");
}

Result<std::unique_ptr<Tokenizer>> load(const Source& s) {
  if (s.model.empty() == s.tokenizer.empty()) return invalid_argument("give exactly one of --model or --tokenizer");
  if (!s.config.empty() && s.tokenizer.empty()) return invalid_argument("--tokenizer-config needs --tokenizer");
  if (!s.tokenizer.empty()) return Tokenizer::from_hf_json(s.tokenizer, s.config);
  HYMT_ASSIGN_OR_RETURN(std::unique_ptr<GgufFile> f, GgufFile::open(s.model));
  return Tokenizer::from_gguf(*f);
}

Result<std::string> read_stdin() {
  std::string all;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) all.append(buf, n);
  if (std::ferror(stdin)) return io_error("reading standard input failed");
  return all;
}

// Lines split on '\n' only; a final '\n' does not start another (empty) line.
std::vector<std::string> split_lines(const std::string& all) {
  std::vector<std::string> lines;
  size_t i = 0;
  while (i < all.size()) {
    size_t j = all.find('\n', i);
    if (j == std::string::npos) j = all.size();
    lines.push_back(all.substr(i, j - i));
    i = j + 1;
  }
  return lines;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

struct TokenizeArgs {
  Source src;
  std::string text, system, messages;
  bool chat = false, no_gen_prompt = false, parse_special = false, json = false, lines = false, bench = false;
  bool render = false;
  double bench_seconds = 2.0;
};

// --messages FILE: a JSON array of {"role": ..., "content": ...}.
Result<std::vector<ChatMessage>> read_messages(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return not_found("cannot open " + path);
  std::string text;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return invalid_argument(path + ": not a JSON array of messages");
  std::vector<ChatMessage> msgs;
  for (const auto& m : j) {
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string() || !m.contains("content") ||
        !m["content"].is_string())
      return invalid_argument(path + ": each message needs string \"role\" and \"content\"");
    msgs.push_back({m["role"].get<std::string>(), m["content"].get<std::string>()});
  }
  return msgs;
}

int run_messages(const Tokenizer& tok, const TokenizeArgs& a) {
  auto msgs = read_messages(a.messages);
  if (!msgs.ok()) return report(msgs.status());
  ChatOptions opt;
  opt.add_generation_prompt = !a.no_gen_prompt;
  if (a.render) {
    auto text = tok.render_chat(msgs.value(), opt);
    if (!text.ok()) return report(text.status());
    std::printf("%s\n", dump(text.value()).c_str());
    return kExitOk;
  }
  auto ids = tok.encode_chat(msgs.value(), opt);
  if (!ids.ok()) return report(ids.status());
  std::printf("%s\n", dump(ids.value()).c_str());
  return kExitOk;
}

int run_tokenize(const TokenizeArgs& a) {
  auto tok_r = load(a.src);
  if (!tok_r.ok()) return report(tok_r.status());
  const Tokenizer& tok = *tok_r.value();
  if (!a.messages.empty()) return run_messages(tok, a);
  if (a.render) return report(invalid_argument("--render needs --messages"));
  const bool chat = a.chat || !a.system.empty();

  auto encode = [&](const std::string& text) -> Result<std::vector<int32_t>> {
    if (!chat) return tok.encode(text, a.parse_special);
    std::vector<ChatMessage> msgs;
    if (!a.system.empty()) msgs.push_back({"system", a.system});
    msgs.push_back({"user", text});
    ChatOptions opt;
    opt.add_generation_prompt = !a.no_gen_prompt;
    return tok.encode_chat(msgs, opt);
  };
  auto emit = [&](const std::vector<int32_t>& ids, bool one_line_json) {
    if (a.json) {
      nlohmann::json pieces = nlohmann::json::array();
      for (int32_t id : ids) pieces.push_back(tok.token_text(id));
      std::printf("%s\n", dump({{"ids", ids}, {"pieces", pieces}}).c_str());
    } else if (one_line_json) {
      std::printf("%s\n", dump(ids).c_str());
    } else {
      std::string s;
      for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
      std::printf("%s\n", s.c_str());
    }
  };

  if (!a.lines && !a.bench) {
    auto ids = encode(a.text);
    if (!ids.ok()) return report(ids.status());
    emit(ids.value(), false);
    return kExitOk;
  }
  if (!a.text.empty()) return report(invalid_argument("--lines and --bench read standard input; give no TEXT"));
  auto all = read_stdin();
  if (!all.ok()) return report(all.status());
  const std::vector<std::string> lines = split_lines(all.value());
  if (!a.bench) {
    for (const std::string& l : lines) {
      auto ids = encode(l);
      if (!ids.ok()) return report(ids.status());
      emit(ids.value(), true);
    }
    return kExitOk;
  }
  // Benchmark: encode every line, repeated until bench_seconds have passed (at least 3 rounds);
  // the best round counts (the least disturbed by other work on the machine).
  size_t bytes = 0, tokens = 0;
  for (const std::string& l : lines) bytes += l.size();
  double best = 1e30, total = 0;
  int rounds = 0;
  while (rounds < 3 || total < a.bench_seconds) {
    const auto t0 = std::chrono::steady_clock::now();
    size_t n = 0;
    for (const std::string& l : lines) n += tok.encode(l, a.parse_special).size();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    tokens = n;
    best = std::min(best, s);
    total += s;
    ++rounds;
  }
  nlohmann::json j = {{"lines", lines.size()},          {"bytes", bytes},
                      {"tokens", tokens},               {"rounds", rounds},
                      {"best_seconds", best},           {"mb_per_s", bytes / best / 1e6},
                      {"tokens_per_s", tokens / best},  {"pre_tokenizer", pre_tokenizer_name(tok.pre_tokenizer())}};
  std::printf("%s\n", j.dump(2).c_str());
  return kExitOk;
}

struct DetokenizeArgs {
  Source src;
  std::string ids;
  bool special = false, json = false, lines = false;
};

int run_detokenize(const DetokenizeArgs& a) {
  auto tok_r = load(a.src);
  if (!tok_r.ok()) return report(tok_r.status());
  const Tokenizer& tok = *tok_r.value();
  auto check = [&](const std::vector<int32_t>& ids) -> Status {
    for (int32_t id : ids)
      if (id >= tok.n_vocab())
        return invalid_argument("id " + std::to_string(id) + " is outside the vocabulary (" +
                                std::to_string(tok.n_vocab()) + " tokens)");
    return Status();
  };
  if (!a.lines) {
    auto ids = parse_ids(a.ids);
    if (!ids.ok()) return report(ids.status());
    if (Status st = check(ids.value()); !st.ok()) return report(st);
    const std::string text = tok.decode(ids.value(), !a.special);
    if (a.json) {
      std::printf("%s\n", dump({{"text", text}}).c_str());
    } else {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::printf("\n");
    }
    return kExitOk;
  }
  if (!a.ids.empty()) return report(invalid_argument("--lines reads standard input; give no IDS"));
  auto all = read_stdin();
  if (!all.ok()) return report(all.status());
  size_t n = 0;
  for (const std::string& l : split_lines(all.value())) {
    ++n;
    // Each line: a JSON array of ids, or "1,2,3".
    std::vector<int32_t> ids;
    nlohmann::json j = nlohmann::json::parse(l, nullptr, false);
    if (!j.is_discarded() && j.is_array()) {
      for (const auto& v : j) {
        if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 0x7fffffff)
          return report(invalid_argument("line " + std::to_string(n) + ": not a list of token ids"));
        ids.push_back(static_cast<int32_t>(v.get<int64_t>()));
      }
    } else if (!l.empty()) {
      auto p = parse_ids(l);
      if (!p.ok()) return report(p.status().with_context("line " + std::to_string(n)));
      ids = p.value();
    }
    if (Status st = check(ids); !st.ok()) return report(st.with_context("line " + std::to_string(n)));
    std::printf("%s\n", dump(tok.decode(ids, !a.special)).c_str());
  }
  return kExitOk;
}

}  // namespace

void register_tokenize(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<TokenizeArgs>();
  CLI::App* c = app.add_subcommand("tokenize", "Print the token ids of a text (or of each line of stdin)");
  add_source_options(c, &a->src);
  c->add_option("text", a->text, "Text to encode");
  c->add_flag("--chat", a->chat, "Wrap TEXT as one user message in the chat template (with the generation prompt)");
  c->add_option("--system", a->system, "System message (implies --chat)");
  c->add_flag("--no-generation-prompt", a->no_gen_prompt, "With --chat: end with the template terminator instead");
  c->add_option("--messages", a->messages,
                "JSON file with a list of {role, content} messages: print the chat prompt's ids as JSON");
  c->add_flag("--render", a->render, "With --messages: print the rendered prompt text (a JSON string) instead");
  c->add_flag("--parse-special", a->parse_special,
              "Match control tokens anywhere in the text (Hugging Face's behaviour; off by default so text "
              "cannot inject them)");
  c->add_flag("--json", a->json, "Print {\"ids\": [...], \"pieces\": [...]}");
  c->add_flag("--lines", a->lines, "Read stdin, split on '\\n' only, print one JSON array of ids per line");
  c->add_flag("--bench", a->bench, "Measure encode speed over the lines of stdin; print JSON");
  c->add_option("--bench-seconds", a->bench_seconds, "Minimum total benchmark time")->check(CLI::PositiveNumber);
  c->callback([a, exit_code] { *exit_code = run_tokenize(*a); });
}

void register_detokenize(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<DetokenizeArgs>();
  CLI::App* c = app.add_subcommand("detokenize", "Print the text of a list of token ids");
  add_source_options(c, &a->src);
  c->add_option("ids", a->ids, "Comma-separated token ids, e.g. 16883,11,2385");
  c->add_flag("--special", a->special, "Also print control tokens (skipped by default)");
  c->add_flag("--json", a->json, "Print {\"text\": ...}");
  c->add_flag("--lines", a->lines,
              "Read stdin: one id list per line (JSON array or 1,2,3); print one JSON string per line");
  c->callback([a, exit_code] { *exit_code = run_detokenize(*a); });
}

}  // namespace hymt::cli
