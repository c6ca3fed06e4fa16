// cmd_translate.cpp: `hymt translate`: translates a text argument, stdin or a file (-i) into --to
// with the model's official prompts. Every input is a document (src/translate/documents/): plain
// text keeps its line structure; SRT, WebVTT, HTML, Markdown, JSON and YAML keep their structure
// (format from the file extension or --format). Files are decoded from UTF-8/16/32 (BOM) or
// windows-1252; output is UTF-8, to stdout or to -o written atomically (never a partial file).
// Without --model it uses the bundled demo model and says so. --json prints per-segment details.
// --to fr,de,ja translates into each (name.fr.ext files, or '== fr ==' headers on stdout); a target
// equal to --from passes the input through without opening the model.
// Exit codes (cli_common.h): 0 ok, 2 usage, 3 model or input error, 4 output I/O, 5 failed checks.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "cli_signals.h"
#include "io/file_util.h"
#include "translate/document_job.h"
#include "translate/documents/charset.h"
#include "translate/documents/document.h"
#include "translate/result_json.h"
#include "translate/translator.h"
#include "translate_flags.h"

namespace hymt::cli {

namespace {

struct TranslateArgs {
  std::string text, model, from = "auto", to, input, output, family, format;
  int threads = 2;
  int64_t max_tokens = 0, n_ctx = 4096;
  size_t segment_tokens = 256;
  int doc_context = 2;
  int batch = 8;
  KvType kv = KvType::kF16;
  bool json = false, quiet = false;
  TranslationFlags tf;  // prompts, decoding, glossary, context, checks (translate_flags.h)
};

// Prints "hymt: <message>" and returns `code` (for errors whose exit code depends on where they
// happened rather than on the status code: an unreadable input is 3 even when it is an I/O error).
int fail(const Status& st, int code) {
  std::fprintf(stderr, "hymt: %s\n", st.message().c_str());
  return code;
}

// A one-line progress bar with ETA on stderr, redrawn in place.
class ProgressBar {
 public:
  explicit ProgressBar(bool on) : on_(on), start_(std::chrono::steady_clock::now()) {}
  ~ProgressBar() { finish(); }
  // Erases the bar (before other messages are printed).
  void finish() {
    if (on_ && drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }
  void update(size_t done, size_t total) {
    if (!on_ || total == 0) return;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const int width = 30, filled = static_cast<int>(width * done / total);
    std::string bar(static_cast<size_t>(filled), '=');
    bar.resize(width, ' ');
    const double eta = done > 0 ? s / static_cast<double>(done) * static_cast<double>(total - done) : 0;
    const int e = static_cast<int>(eta + 0.5);
    std::fprintf(stderr, "\r[%s] %zu/%zu %3d%%  ETA %d:%02d", bar.c_str(), done, total,
                 static_cast<int>(100 * done / total), e / 60, e % 60);
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  bool on_, drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

// "fr,de,ja" -> languages, each known and given once; refused before any work is done.
Result<std::vector<const Language*>> parse_targets(const std::string& s) {
  std::vector<const Language*> v;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    std::string item = s.substr(i, j - i);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    const Language* l = find_language(item);
    if (!l)
      return invalid_argument("unknown target language '" + item + "'; HY-MT translates into: " + language_code_list());
    for (const Language* o : v)
      if (o == l) return invalid_argument("--to: " + l->code + " is given twice");
    v.push_back(l);
    i = j + 1;
  }
  return v;
}

// The -o file of one target among several: name.ext -> name.fr.ext, name -> name.fr (the extension
// is what follows the last dot of the file name, a leading dot excepted).
std::string target_path(const std::string& out, const std::string& code) {
  const size_t slash = out.find_last_of('/');
  const size_t base = slash == std::string::npos ? 0 : slash + 1;
  const size_t dot = out.find_last_of('.');
  if (dot == std::string::npos || dot <= base) return out + "." + code;
  return out.substr(0, dot) + "." + code + out.substr(dot);
}

// --from X --to X: the document as it came, each unit reported as passed through (no model call).
JobResult pass_through(const doc::Document& d, const std::string& text, const Language* lang) {
  JobResult jr;
  jr.output = text;
  for (const doc::Unit& u : d.units()) {
    UnitResult r;
    r.where = u.where;
    r.source = r.output = u.text;
    SegmentResult seg;
    seg.source = seg.output = u.text;
    seg.from = lang;
    seg.passed_through = true;
    r.segments.push_back(std::move(seg));
    jr.units.push_back(std::move(r));
  }
  return jr;
}

int run_translate(const TranslateArgs& a) {
  if (!a.output.empty()) remove_temp_files_on_signals();
  auto targets_r = parse_targets(a.to);
  if (!targets_r.ok()) return report(targets_r.status());
  const std::vector<const Language*> targets = std::move(targets_r).value();
  const bool several = targets.size() > 1;
  const Language* from = nullptr;
  if (a.from != "auto") {
    from = find_language(a.from);
    if (!from)
      return report(invalid_argument("unknown source language '" + a.from + "'; known: auto, " + language_code_list()));
  }
  if (!a.text.empty() && !a.input.empty())
    return report(invalid_argument("give either a text argument or -i FILE, not both"));
  auto fmt = doc::detect_format(a.input, a.format);
  if (!fmt.ok()) return report(fmt.status());
  TranslateOptions tmpl;
  if (Status st = apply_translation_flags(a.tf, &tmpl); !st.ok()) return report(st);

  // Input: bytes, then UTF-8. An input file that cannot be read is an input error (3).
  std::string bytes;
  const bool from_file = !a.input.empty();
  if (!a.text.empty()) {
    bytes = a.text;
  } else if (from_file) {
    auto r = read_file(a.input);
    if (!r.ok()) return fail(r.status().with_context("cannot read the input"), kExitModel);
    bytes = std::move(r).value();
  } else {
    // A terminal waits silently for input that never comes unless the user knows to type it.
    if (isatty(STDIN_FILENO) && !a.quiet)
      std::fprintf(stderr, "hymt: reading the text to translate from stdin (end with Ctrl-D)\n");
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  auto dec = doc::decode_to_utf8(bytes);
  if (!dec.ok()) return fail(dec.status().with_context(from_file ? a.input : "input"), kExitModel);
  if (dec->charset == doc::Charset::kWindows1252 && !a.quiet)
    std::fprintf(stderr, "hymt: %s is not valid UTF-8; reading it as windows-1252\n",
                 from_file ? a.input.c_str() : "the input");
  // Nothing to translate: a usage error for a text argument or stdin, an input error for a file.
  const int empty_code = from_file ? kExitModel : kExitUsage;
  bool has_text = false;
  for (char c : dec->utf8) has_text |= !std::isspace(static_cast<unsigned char>(c));
  if (!has_text) return fail(invalid_argument("nothing to translate: the input is empty"), empty_code);
  auto parsed = doc::parse_document(fmt.value(), dec->utf8);
  if (!parsed.ok()) {
    const Status st = parsed.status().with_context(from_file ? a.input : "input");
    return fail(st, st.code() == StatusCode::kInvalidArgument ? empty_code : kExitModel);
  }
  const doc::Document& d = *parsed.value();

  // Fail before the (long) translation when the output cannot be written.
  if (!a.output.empty()) {
    const size_t slash = a.output.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : a.output.substr(0, slash));
    if (access(dir.c_str(), W_OK) != 0)
      return fail(io_error(a.output + ": cannot write to the folder '" + dir + "': " + std::strerror(errno)), kExitIo);
  }

  // The model is opened only when some target differs from the source language.
  bool need_model = false;
  for (const Language* to : targets) need_model |= to != from;
  std::unique_ptr<Translator> tr;
  if (need_model) {
    std::string model = a.model;
    if (model.empty()) {
      model = default_model();
      if (model.empty() || access(model.c_str(), R_OK) != 0)
        return report(
            not_found("no --model given and the bundled demo model is missing; pass --model with an HY-MT GGUF file"));
      if (!a.quiet) std::fprintf(stderr, "hymt: %s\n", kDemoModelNotice);
    }
    if (Status st = check_model_path(model); !st.ok()) return report(st);
    EngineOptions eo;
    eo.n_threads = a.threads;
    eo.max_seqs = a.batch;
    eo.n_ctx = a.n_ctx;
    eo.kv_type = a.kv;
    auto opened = Translator::open(model, eo);
    if (!opened.ok()) return report(opened.status());
    tr = std::move(opened).value();
    tr->set_max_batch(a.batch);
    if (!a.family.empty()) {
      PromptFamily f;
      if (!parse_prompt_family(a.family, &f))
        return report(invalid_argument("--prompt-family must be hy-mt1.5 or hy-mt2"));
      tr->set_family(f);
    }
  }

  int done_code = kExitOk;
  for (const Language* to : targets) {
    const std::string out_path = several && !a.output.empty() ? target_path(a.output, to->code) : a.output;
    if (several && out_path.empty()) {
      std::printf("== %s ==\n", to->code.c_str());
      std::fflush(stdout);
    }
    // Streaming: one plain-text unit to a terminal. The text around the unit is printed before and
    // after it (found by rendering the document with a sentinel as the unit's translation).
    const bool stream = to != from && out_path.empty() && !a.json && d.format() == doc::Format::kText &&
                        d.units().size() == 1 && isatty(STDOUT_FILENO);
    JobResult jr;
    if (to == from) {
      if (!a.quiet)
        std::fprintf(stderr, "hymt: --from and --to are both %s: the input is passed through unchanged\n",
                     to->code.c_str());
      jr = pass_through(d, dec->utf8, from);
    } else {
      JobOptions jo;
      jo.tmpl = tmpl;
      jo.tmpl.from = from;
      jo.tmpl.to = to;
      jo.tmpl.max_new_tokens = a.max_tokens;
      jo.tmpl.n_ctx = a.n_ctx;
      jo.segment_tokens = a.segment_tokens;
      jo.context_segments = a.doc_context;
      std::string stream_suffix;
      if (stream) {
        const std::string sentinel = "\x1e\x1f\x1e";
        const std::string shell = d.render({sentinel});
        const size_t at = shell.find(sentinel);
        std::fwrite(shell.data(), 1, at, stdout);
        stream_suffix = shell.substr(at + sentinel.size());
        jo.tmpl.on_text = [](const std::string& piece) {
          std::fwrite(piece.data(), 1, piece.size(), stdout);
          std::fflush(stdout);
        };
        jo.tmpl.on_retry = [] { std::fputs("\r\033[K", stdout); };
      }
      ProgressBar bar(!stream && !a.quiet && d.units().size() > 1 && isatty(STDERR_FILENO));
      jo.on_progress = [&bar](size_t done, size_t total) { bar.update(done, total); };

      auto job = translate_document(d, *tr, jo);
      bar.update(d.units().size(), d.units().size());
      bar.finish();
      if (!job.ok()) return report(job.status());
      jr = std::move(job).value();
      if (!a.quiet) {
        for (const UnitResult& u : jr.units)
          for (const Problem& p : u.problems)
            std::fprintf(stderr, "hymt: %s%s: %s: %s\n", several ? (to->code + ": ").c_str() : "", u.where.c_str(),
                         p.code.c_str(), p.message.c_str());
      }
      if (jr.checks_failed) done_code = kExitChecks;
      if (stream && out_path.empty()) {
        if (!jr.units.empty() && jr.units[0].kept_source) {
          // The streamed translation was unusable and the source was kept: redraw the line with it.
          std::fputs("\r\033[K", stdout);
          std::fwrite(jr.output.data(), 1, jr.output.size(), stdout);
        } else {
          std::fwrite(stream_suffix.data(), 1, stream_suffix.size(), stdout);
        }
        if (jr.output.empty() || jr.output.back() != '\n') std::fputc('\n', stdout);
        if (std::fflush(stdout) != 0) return fail(io_error("cannot write to stdout"), kExitIo);
        continue;
      }
    }

    std::string payload = jr.output;
    if (a.json) {
      payload = document_json(jr, doc::format_name(d.format()), doc::charset_name(dec->charset), *to)
                    .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                "\n";
    }
    if (!out_path.empty()) {
      if (Status st = write_file_atomic(out_path, payload.data(), payload.size()); !st.ok()) return fail(st, kExitIo);
      continue;
    }
    std::fwrite(payload.data(), 1, payload.size(), stdout);
    if (!a.json && (jr.output.empty() || jr.output.back() != '\n')) std::fputc('\n', stdout);
    if (std::fflush(stdout) != 0) return fail(io_error("cannot write to stdout"), kExitIo);
  }
  return done_code;
}

}  // namespace

void register_translate(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<TranslateArgs>();
  CLI::App* c = app.add_subcommand(
      "translate", "Translate text, stdin or a document (text, SRT, WebVTT, HTML, Markdown, JSON, YAML)");
  c->add_option("text", a->text, "Text to translate (default: stdin)");
  c->add_option("--to,-t", a->to,
                "Target language (code, FLORES code or name; see `hymt languages`); several, comma-separated "
                "(fr,de,ja): -o name.ext writes name.fr.ext, ..., stdout gets a '== fr ==' line before each")
      ->required();
  c->add_option("--from,-f", a->from, "Source language (default: auto; the same as --to: the input is passed through)");
  c->add_option("--model,-m", a->model, "GGUF model (default: $HYMT_MODEL or the bundled demo model)");
  c->add_option("-i,--input", a->input, "Input file (UTF-8/16/32 with BOM, or windows-1252)");
  c->add_option("-o,--output", a->output, "Output file (UTF-8, written atomically)");
  c->add_option("--format", a->format,
                "Input format: text, srt, vtt, html, markdown, json, yaml (default: from the -i extension)");
  add_threads_option(c, &a->threads, "--threads");
  c->add_option("--max-tokens", a->max_tokens, "Token budget per segment (default: 2 x source + 64)");
  c->add_option("--n-ctx", a->n_ctx, "KV-cache positions per segment (default 4096)");
  c->add_option("--batch", a->batch,
                "Segments of a document decoded together in one pass per step (default 8; 1: one at a time)")
      ->check(CLI::Range(1, 256));
  add_kv_type_option(c, &a->kv);
  c->add_option("--segment-tokens", a->segment_tokens,
                "Split longer paragraphs into sentences packed under this many tokens (default 256; 0: never)");
  c->add_option("--doc-context", a->doc_context,
                "Preceding segments passed as context in documents (default 2; 0: off)");
  c->add_option("--prompt-family", a->family, "Prompt set: hy-mt1.5 or hy-mt2 (default: from the model)");
  c->add_flag("--json", a->json, "Print per-segment JSON (source, output, tokens, timings, confidence, problems)");
  c->add_flag("--quiet,-q", a->quiet, "No notices on stderr");
  add_translation_flags(c, &a->tf);
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
