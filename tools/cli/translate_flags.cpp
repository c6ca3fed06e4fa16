// translate_flags.cpp: flag declarations, validation with messages that name
// the flag, and the JSON fields for checks and glossary results.
#include "translate_flags.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "core/utf8.h"
#include "io/file_util.h"

namespace hymt::cli {

void add_translation_flags(CLI::App* c, TranslationFlags* f) {
  c->add_option("--sampling", f->sampling,
                "Decoding preset: greedy (default: deterministic, with an n-gram loop "
                "guard) or official (the model "
                "cards' temperature 0.7, top_p 0.6, top_k 20, repetition penalty 1.05)")
      ->check(CLI::IsMember({"greedy", "official"}));
  c->add_option_function<double>(
      "--temperature", [f](const double& v) { f->temperature = v; }, "Sampling temperature (0 = greedy)");
  c->add_option_function<int>(
      "--top-k", [f](const int& v) { f->top_k = v; }, "Keep the k most likely tokens (0 = off)");
  c->add_option_function<double>(
      "--top-p", [f](const double& v) { f->top_p = v; }, "Nucleus sampling mass in (0, 1] (1 = off)");
  c->add_option_function<double>(
      "--repeat-penalty", [f](const double& v) { f->repeat_penalty = v; },
      "Repetition penalty over the prompt and the output, HF semantics (1 = "
      "off)");
  c->add_option_function<uint64_t>(
      "--seed", [f](const uint64_t& v) { f->seed = v; }, "Seed of the sampling PRNG (default 0: reproducible)");
  c->add_flag("--no-loop-guard", f->no_loop_guard, "Do not ban tokens that would close an n-gram repetition loop");
  c->add_option("--glossary", f->glossary_file, "Glossary file: TSV (source<TAB>target), CSV or JSON");
  // One value per occurrence (repeat the flag): a vector option would otherwise
  // swallow the text.
  c->add_option("--term", f->terms, "A glossary term SRC=TGT (repeatable)")->allow_extra_args(false);
  c->add_option("--keep", f->keep, "A term never to translate (repeatable)")->allow_extra_args(false);
  c->add_option("--context", f->context,
                "Preceding text given to the model as context: the text itself, or @FILE to read it from a UTF-8 "
                "file");
  c->add_option_function<double>(
      "--min-confidence", [f](const double& v) { f->min_confidence = v; },
      "Report a low_confidence problem (and retry) when a segment's confidence, the mean token "
      "log-probability of --json, is below this (a value <= 0, e.g. -0.69 = log 0.5; default: off)");
  c->add_option("--style", f->style, "Hy-MT2: translation style (e.g. formal)");
  c->add_option("--preference", f->preferences, "Hy-MT2: a personalization instruction (repeatable)")
      ->allow_extra_args(false);
  c->add_flag("--delimiters", f->delimiters, "Hy-MT2: keep the same number of delimiters (delimiters template)");
  c->add_option("--structured", f->structured, "Hy-MT2: the input is structured data of this format (e.g. JSON)");
  c->add_flag("--formatted", f->formatted,
              "The input carries <sn></sn> format tags (formatted template; "
              "the answer inside <target> is kept)");
  c->add_flag("--no-checks", f->no_checks,
              "Skip the output checks (language, echo, loops, truncation, "
              "placeholders)");
  c->add_flag("--no-retry", f->no_retry, "Report failed checks without retrying");
  c->add_flag("--show-prompt", f->show_prompt, "Print each rendered prompt to stderr");
}

Status apply_translation_flags(const TranslationFlags& f, TranslateOptions* opt) {
  SamplingParams sp = f.sampling == "official" ? SamplingParams::official() : SamplingParams{};
  if (f.sampling != "greedy" && f.sampling != "official")
    return invalid_argument("--sampling must be greedy or official, got '" + f.sampling + "'");
  if (f.temperature) sp.temperature = static_cast<float>(*f.temperature);
  if (f.top_k) sp.top_k = *f.top_k;
  if (f.top_p) sp.top_p = static_cast<float>(*f.top_p);
  if (f.repeat_penalty) sp.repetition_penalty = static_cast<float>(*f.repeat_penalty);
  if (f.seed) sp.seed = *f.seed;
  sp.loop_guard = !f.no_loop_guard;
  HYMT_RETURN_IF_ERROR(validate_sampling(sp));
  opt->sampling = sp;

  if (!f.glossary_file.empty() || !f.terms.empty() || !f.keep.empty()) {
    auto g = std::make_shared<Glossary>();
    if (!f.glossary_file.empty()) {
      auto loaded = Glossary::load(f.glossary_file);
      if (!loaded.ok()) return loaded.status().with_context("--glossary");
      *g = std::move(loaded).value();
    }
    for (const std::string& t : f.terms) HYMT_RETURN_IF_ERROR(g->add_term_spec(t));
    for (const std::string& k : f.keep) HYMT_RETURN_IF_ERROR(g->add_keep(k));
    opt->glossary = g;
  }
  if (!f.context.empty()) {
    std::string c = f.context;
    std::string where = "--context";
    if (c[0] == '@') {
      const std::string path = c.substr(1);
      if (path.empty()) return invalid_argument("--context @: give a file name after the @");
      auto ctx = read_file(path);
      if (!ctx.ok()) return ctx.status().with_context("--context @" + path);
      c = std::move(ctx).value();
      if (c.compare(0, 3, "\xEF\xBB\xBF") == 0) c.erase(0, 3);  // a UTF-8 byte order mark
      where = "--context @" + path;
      if (!utf8_valid(c)) return corrupt_file(where + ": the file is not valid UTF-8 text");
    } else {
      if (!utf8_valid(c)) return invalid_argument("--context: the text is not valid UTF-8");
      if (access(c.c_str(), R_OK) == 0 && c.find('\n') == std::string::npos)
        std::fprintf(stderr, "hymt: --context: using the text '%s' itself; write --context @%s to read the file\n",
                     c.c_str(), c.c_str());
    }
    while (!c.empty() && (c.back() == '\n' || c.back() == '\r' || c.back() == ' ')) c.pop_back();
    if (c.find_first_not_of(" \t\r\n") == std::string::npos) return invalid_argument(where + ": the context is empty");
    opt->context = c;
  }
  if (f.min_confidence) {
    if (!(*f.min_confidence <= 0))
      return invalid_argument("--min-confidence is a mean token log-probability, at most 0 (e.g. -0.69 for log 0.5)");
    opt->min_confidence = *f.min_confidence;
  }
  for (const std::string& p : f.preferences)
    if (p.find_first_not_of(" \t") == std::string::npos) return invalid_argument("--preference: empty instruction");
  opt->style = f.style;
  opt->preferences = f.preferences;
  opt->delimiters = f.delimiters;
  opt->structured_format = f.structured;
  opt->formatted = f.formatted;
  opt->checks = !f.no_checks;
  opt->retry = !f.no_retry;
  if (f.show_prompt)
    opt->on_prompt = [](const std::string& p) {
      std::fprintf(stderr, "--- prompt ---\n%s\n--- end prompt ---\n", p.c_str());
    };
  return Status::ok_status();
}

}  // namespace hymt::cli
