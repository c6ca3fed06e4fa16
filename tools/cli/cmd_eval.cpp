// cmd_eval.cpp: `hymt eval`: `score` (sacreBLEU-compatible BLEU, chrF, chrF++, TER of files, corpus
// or per sentence, with paired bootstrap resampling between systems), `tokenize` (the BLEU
// tokenizers, for checks) and `run` (translate a parallel set and score it: eval_run.cpp).
// Output files are written atomically; bad input is an error with a message and exit code 2 or 3,
// never a partial result.
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli_common.h"
#include "eval/significance.h"
#include "eval/text.h"
#include "eval/tokenizers.h"
#include "eval_common.h"
#include "eval_run.h"
#include "io/file_util.h"

namespace hymt::cli {

Result<std::vector<NamedMetric>> make_metrics(const MetricFlags& f, const std::string& target_lang,
                                              bool sentence_level) {
  std::vector<NamedMetric> out;
  eval::TokenizerKind tok = eval::default_tokenizer_for(target_lang);
  if (!f.tokenize.empty()) {
    auto t = eval::parse_tokenizer(f.tokenize);
    if (!t) return invalid_argument("unknown tokenizer '" + f.tokenize + "' (13a, zh, intl, char, none)");
    tok = *t;
  }
  eval::Smooth smooth;
  if (!eval::parse_smooth(f.smooth, &smooth))
    return invalid_argument("unknown smoothing '" + f.smooth + "' (exp, floor, add-k, none)");
  std::stringstream ss(f.metrics);
  std::string key;
  while (std::getline(ss, key, ',')) {
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key.empty()) continue;
    for (const auto& m : out)
      if (m.key == key) return invalid_argument("metric '" + key + "' is listed twice");
    if (key == "bleu") {
      std::string why;
      if (!eval::tokenizer_available(tok, &why)) return unsupported(why);
      eval::BleuOptions o;
      o.tokenize = tok;
      o.lowercase = f.lowercase;
      o.smooth = smooth;
      o.smooth_value = f.smooth_value;
      o.effective_order = f.effective_order || sentence_level;
      out.push_back({key, std::make_unique<eval::Bleu>(o)});
    } else if (key == "chrf" || key == "chrf++") {
      eval::ChrfOptions o;
      o.word_order = key == "chrf" ? 0 : 2;
      o.lowercase = f.lowercase;
      out.push_back({key, std::make_unique<eval::Chrf>(o)});
    } else if (key == "ter") {
      eval::TerOptions o;
      o.case_sensitive = f.ter_case_sensitive;
      out.push_back({key, std::make_unique<eval::Ter>(o)});
    } else {
      return invalid_argument("unknown metric '" + key + "' (bleu, chrf, chrf++, ter)");
    }
  }
  if (out.empty()) return invalid_argument("--metrics lists no metric");
  return out;
}

nlohmann::json score_json(const eval::MetricScore& s, const std::string& signature) {
  nlohmann::json j = {{"name", s.name}, {"score", s.score}, {"signature", signature}};
  if (!s.verbose.empty()) j["verbose_score"] = s.verbose;
  if (s.name == "BLEU") {
    j["counts"] = s.counts;
    j["totals"] = s.totals;
    j["precisions"] = s.precisions;
    j["bp"] = s.bp;
    j["sys_len"] = s.sys_len;
    j["ref_len"] = s.ref_len;
  }
  return j;
}

namespace {

struct ScoreArgs {
  std::vector<std::string> hyps, refs;
  MetricFlags mf;
  std::string lang;  // target language or a SRC-TGT pair, for the default tokenizer
  bool sentence = false, json = false, paired_bs = false;
  int width = 1;
  int n_samples = 1000;
  uint64_t seed = 12345;
  std::string output;
};

Result<std::vector<std::string>> read_nonempty(const std::string& path, const char* what) {
  auto lines = eval::read_lines(path);
  if (!lines.ok()) return lines.status().with_context(std::string("cannot read the ") + what);
  if (lines->empty()) return invalid_argument(path + ": the " + std::string(what) + " file is empty");
  return lines;
}

std::string target_of(const std::string& lang) {
  const size_t dash = lang.find('-');
  if (dash == std::string::npos || lang.rfind("zh-Hant", 0) == 0) return lang;
  const std::string tgt = lang.substr(dash + 1);
  return tgt;
}

int emit(const ScoreArgs& a, const std::string& payload) {
  if (!a.output.empty()) return report(write_file_atomic(a.output, payload.data(), payload.size()));
  std::fwrite(payload.data(), 1, payload.size(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : report(io_error("cannot write to stdout"));
}

int run_score(const ScoreArgs& a) {
  if (a.hyps.empty()) return report(invalid_argument("--hyp is required"));
  if (a.refs.empty()) return report(invalid_argument("--ref is required"));
  if (a.paired_bs && a.hyps.size() < 2)
    return report(invalid_argument("--paired-bs needs two or more --hyp files (the first is the baseline)"));
  if (!a.paired_bs && a.hyps.size() > 1)
    return report(invalid_argument("several --hyp files are compared only with --paired-bs"));
  if (a.sentence && a.paired_bs) return report(invalid_argument("--sentence and --paired-bs do not go together"));
  if (a.n_samples < 1) return report(invalid_argument("--paired-bs-n must be at least 1"));
  if (a.width < 0 || a.width > 17) return report(invalid_argument("--width must be 0..17"));
  auto metrics = make_metrics(a.mf, target_of(a.lang), a.sentence);
  if (!metrics.ok()) return report(metrics.status());
  if (a.mf.lowercase && !eval::lowercase_is_exact())
    std::fprintf(stderr,
                 "hymt: built without ICU: --lowercase maps ASCII letters only (not sacreBLEU's str.lower())\n");

  std::vector<std::vector<std::string>> refs;
  for (const auto& r : a.refs) {
    auto lines = read_nonempty(r, "reference");
    if (!lines.ok()) return report(lines.status());
    refs.push_back(std::move(lines).value());
  }
  std::vector<std::vector<std::string>> hyps;
  for (const auto& h : a.hyps) {
    auto lines = read_nonempty(h, "hypothesis");
    if (!lines.ok()) return report(lines.status());
    for (size_t r = 0; r < refs.size(); ++r)
      if (refs[r].size() != lines->size())
        return report(invalid_argument(h + " has " + std::to_string(lines->size()) + " lines but " + a.refs[r] +
                                       " has " + std::to_string(refs[r].size())));
    hyps.push_back(std::move(lines).value());
  }

  // Statistics per system and metric.
  std::vector<std::vector<std::vector<std::vector<double>>>> stats(hyps.size());
  int nrefs = 1;
  for (size_t s = 0; s < hyps.size(); ++s)
    for (const auto& m : *metrics) {
      auto st = eval::corpus_stats(*m.metric, hyps[s], refs, &nrefs);
      if (!st.ok()) return report(st.status());
      stats[s].push_back(std::move(st).value());
    }

  nlohmann::json j;
  std::string text;
  if (a.sentence) {
    j["sentences"] = nlohmann::json::array();
    for (size_t i = 0; i < hyps[0].size(); ++i) {
      nlohmann::json row = {{"line", i + 1}, {"scores", nlohmann::json::array()}};
      std::string line = std::to_string(i + 1);
      for (size_t k = 0; k < metrics->size(); ++k) {
        const auto& m = *(*metrics)[k].metric;
        const auto sc = m.score_from_stats(stats[0][k][i]);
        row["scores"].push_back(score_json(sc, m.signature(nrefs)));
        line += "\t" + eval::format_score(sc, a.width);
      }
      j["sentences"].push_back(std::move(row));
      text += line + "\n";
    }
    for (const auto& m : *metrics) text += m.metric->name() + "|" + m.metric->signature(nrefs) + "\n";
  } else if (!a.paired_bs) {
    j["scores"] = nlohmann::json::array();
    for (size_t k = 0; k < metrics->size(); ++k) {
      const auto& m = *(*metrics)[k].metric;
      const auto sc = m.score_from_stats(eval::sum_stats(m, stats[0][k]));
      j["scores"].push_back(score_json(sc, m.signature(nrefs)));
      eval::MetricScore named = sc;
      named.name += "|" + m.signature(nrefs);
      text += eval::format_score(named, a.width) + "\n";
    }
  } else {
    const auto idx = eval::bootstrap_indices(hyps[0].size(), a.n_samples, a.seed);
    j["baseline"] = a.hyps[0];
    j["n_samples"] = a.n_samples;
    j["seed"] = a.seed;
    j["systems"] = nlohmann::json::array();
    char buf[256];
    for (size_t s = 0; s < hyps.size(); ++s) {
      nlohmann::json sys = {{"file", a.hyps[s]}, {"scores", nlohmann::json::array()}};
      text += (s == 0 ? "Baseline: " : "System:   ") + a.hyps[s] + "\n";
      for (size_t k = 0; k < metrics->size(); ++k) {
        const auto& m = *(*metrics)[k].metric;
        const auto r = eval::paired_bootstrap(m, stats[0][k], stats[s][k], idx);
        const auto& est = s == 0 ? r.baseline_est : r.system_est;
        const std::string sig = "nrefs:" + std::to_string(nrefs) + "|bs:" + std::to_string(a.n_samples) +
                                "|seed:" + std::to_string(a.seed) +
                                m.signature(nrefs).substr(m.signature(nrefs).find('|'));
        nlohmann::json e = {{"name", m.name()},
                            {"score", s == 0 ? r.baseline : r.system},
                            {"mean", est.mean},
                            {"ci", est.ci},
                            {"signature", sig}};
        // sacreBLEU's cell: "score (mean ± ci)", then "(p = 0.0010)" and "*" unless p > 0.05.
        std::snprintf(buf, sizeof buf, "  %-8s = %.*f (%.*f ± %.*f)", m.name().c_str(), a.width,
                      s == 0 ? r.baseline : r.system, a.width, est.mean, a.width, est.ci);
        text += buf;
        if (s > 0) {
          e["p_value"] = r.p_value;
          std::snprintf(buf, sizeof buf, " (p = %.4f)%s", r.p_value, r.p_value > 0.05 ? "" : "*");
          text += buf;
        }
        text += "\n";
        sys["scores"].push_back(std::move(e));
      }
      j["systems"].push_back(std::move(sys));
    }
    text += "(p <= 0.05: *) ";
    for (const auto& m : *metrics) text += m.metric->name() + "|" + m.metric->signature(nrefs) + " ";
    text += "\n";
  }
  return emit(a, a.json ? j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n" : text);
}

// Hidden `eval bootstrap-indices`: the resample indices --paired-bs uses, one row per line, for
// the test that compares them with numpy's (tests/eval/paired_bs_test.py).
struct IndicesArgs {
  size_t n = 0;
  int samples = 1000;
  uint64_t seed = 12345;
};

int run_indices(const IndicesArgs& a) {
  if (a.n < 1 || a.samples < 1) return report(invalid_argument("--n and --samples must be at least 1"));
  std::string out;
  for (const auto& row : eval::bootstrap_indices(a.n, a.samples, a.seed)) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ' ';
      out += std::to_string(row[i]);
    }
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

struct TokenizeArgs {
  std::string tokenize = "13a", input;
  bool json = false;
};

int run_tokenize(const TokenizeArgs& a) {
  auto t = eval::parse_tokenizer(a.tokenize);
  if (!t) return report(invalid_argument("unknown tokenizer '" + a.tokenize + "' (13a, zh, intl, char, none)"));
  std::string why;
  if (!eval::tokenizer_available(*t, &why)) return report(unsupported(why));
  auto lines = eval::read_lines(a.input);
  if (!lines.ok()) return report(lines.status());
  nlohmann::json j = nlohmann::json::array();
  std::string text;
  for (const auto& l : *lines) {
    const std::string out = eval::to_utf8(eval::tokenize(*t, eval::to_u32(l)));
    j.push_back(out);
    text += out + "\n";
  }
  const std::string payload = a.json ? j.dump() + "\n" : text;
  std::fwrite(payload.data(), 1, payload.size(), stdout);
  return kExitOk;
}

void add_metric_flags(CLI::App* c, MetricFlags* f) {
  c->add_option("--metrics", f->metrics, "Comma-separated: bleu, chrf, chrf++, ter (default bleu,chrf)");
  c->add_option("--tokenize", f->tokenize,
                "BLEU tokenizer: 13a, zh, intl, char, none (default: zh for a Chinese target, else 13a)");
  c->add_flag("--lowercase,--lc", f->lowercase, "Lower-case before scoring (BLEU, chrF)");
  c->add_option("--smooth", f->smooth, "BLEU smoothing: exp (default), floor, add-k, none");
  c->add_option("--smooth-value", f->smooth_value, "floor (default 0.1) or add-k (default 1) value");
  c->add_flag("--effective-order", f->effective_order, "BLEU over the n-gram orders present (corpus level too)");
  c->add_flag("--ter-case-sensitive", f->ter_case_sensitive, "TER without lower-casing");
}

}  // namespace

void register_eval(CLI::App& app, int* exit_code) {
  CLI::App* ev =
      app.add_subcommand("eval", "Score translations (sacreBLEU-compatible) or translate a test set and score it");
  ev->require_subcommand(1);

  auto s = std::make_shared<ScoreArgs>();
  CLI::App* c = ev->add_subcommand("score", "BLEU / chrF / chrF++ / TER of a hypothesis file against references");
  c->add_option("--hyp,-i", s->hyps, "Hypothesis file, one segment per line (several with --paired-bs)");
  c->add_option("--ref,-r", s->refs, "Reference file (repeat for several references)");
  add_metric_flags(c, &s->mf);
  c->add_option("--lang,-l", s->lang, "Target language or SRC-TGT pair (picks the default tokenizer)");
  c->add_flag("--sentence", s->sentence,
              "One score per line (BLEU with effective order, as sacreBLEU's sentence_bleu)");
  c->add_flag("--json", s->json, "JSON output (full-precision scores and statistics)");
  c->add_option("--width,-w", s->width, "Decimals of the text output (default 1, as sacreBLEU)");
  c->add_flag("--paired-bs", s->paired_bs, "Paired bootstrap resampling: the first --hyp is the baseline");
  c->add_option("--paired-bs-n", s->n_samples, "Resamples (default 1000)");
  c->add_option("--seed", s->seed, "Resampling seed (default 12345)");
  c->add_option("-o,--output", s->output, "Write the result to a file (atomically)");
  c->callback([s, exit_code] { *exit_code = run_score(*s); });

  auto t = std::make_shared<TokenizeArgs>();
  CLI::App* tc = ev->add_subcommand("tokenize", "Print each line of a file through a BLEU tokenizer");
  tc->add_option("--tokenize", t->tokenize, "13a, zh, intl, char, none");
  tc->add_option("-i,--input", t->input, "Input file")->required();
  tc->add_flag("--json", t->json, "A JSON array of the tokenized lines");
  tc->callback([t, exit_code] { *exit_code = run_tokenize(*t); });

  auto ix = std::make_shared<IndicesArgs>();
  CLI::App* ic = ev->add_subcommand("bootstrap-indices", "Debug: the --paired-bs resample indices (numpy's)");
  ic->group("");  // hidden
  ic->add_option("--n", ix->n, "Segments")->required();
  ic->add_option("--samples", ix->samples, "Resamples (default 1000)");
  ic->add_option("--seed", ix->seed, "Seed (default 12345)");
  ic->callback([ix, exit_code] { *exit_code = run_indices(*ix); });

  register_eval_run(*ev, exit_code);
}

}  // namespace hymt::cli
