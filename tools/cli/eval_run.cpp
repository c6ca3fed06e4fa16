// eval_run.cpp: `hymt eval run`. For each direction of --pairs: the source and reference lines
// from --data (FLORES-200 layout, or <code>.txt / <flores>.txt files), translated in batches with
// Translator::translate_batch, scored with sacreBLEU-compatible BLEU and chrF (the target's default
// tokenizer), with speed and the output checks' problems. --compare M2 translates again with M2 and
// teacher-forces both models on the references for KL divergence and top-1 agreement. Every output
// file is written atomically after all the work succeeded.
#include "eval_run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>

#include "cli_common.h"
#include "eval/fidelity.h"
#include "eval/text.h"
#include "eval/tokenizers.h"
#include "eval_common.h"
#include "eval_instruct.h"
#include "io/file_util.h"
#include "model/session.h"
#include "translate/prompt.h"
#include "translate/translator.h"

namespace hymt::cli {

namespace {

struct RunArgs {
  std::string model, data, pairs, prompt, output, compare, instruct, plot;
  size_t limit = 0;
  int threads = 2, batch = 8;
  bool json = false, quiet = false;
  MetricFlags mf;
};

class Progress {
 public:
  explicit Progress(bool on) : on_(on) {}
  void update(const std::string& label, size_t done, size_t total) {
    if (!on_ || total == 0) return;
    const int width = 30, filled = static_cast<int>(width * done / total);
    std::string bar(static_cast<size_t>(filled), '=');
    bar.resize(width, ' ');
    std::fprintf(stderr, "\r\033[K%s [%s] %zu/%zu", label.c_str(), bar.c_str(), done, total);
    std::fflush(stderr);
  }
  void finish() {
    if (on_) std::fputs("\r\033[K", stderr);
  }

 private:
  bool on_;
};

// The file of language `l` in `dir`: <code>.txt, <flores>.txt, <flores>.devtest, devtest/<flores>.devtest,
// <flores>.dev, dev/<flores>.dev.
Result<std::string> lang_file(const std::string& dir, const Language& l) {
  const std::vector<std::string> tries = {dir + "/" + l.code + ".txt",       dir + "/" + l.flores + ".txt",
                                          dir + "/" + l.flores + ".devtest", dir + "/devtest/" + l.flores + ".devtest",
                                          dir + "/" + l.flores + ".dev",     dir + "/dev/" + l.flores + ".dev"};
  for (const auto& p : tries)
    if (access(p.c_str(), R_OK) == 0) return p;
  return not_found("no " + l.english + " file in " + dir + " (looked for " + l.code + ".txt, " + l.flores + ".txt, " +
                   l.flores + ".devtest, devtest/" + l.flores + ".devtest)");
}

struct Translated {
  std::vector<std::string> outputs;
  std::map<std::string, int> problems;  // code -> segments
  int64_t n_output_tokens = 0;
  double seconds = 0;
};

Translated translate_all(Translator& t, const std::vector<std::string>& src, const Language* from, const Language* to,
                         Progress& bar, const std::string& label) {
  std::vector<BatchItem> items(src.size());
  for (size_t i = 0; i < src.size(); ++i) {
    items[i].text = src[i];
    items[i].opt.from = from;
    items[i].opt.to = to;
  }
  Translated out;
  size_t done = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto res =
      t.translate_batch(items, [&](size_t, const Result<SegmentResult>&) { bar.update(label, ++done, src.size()); });
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& r : res) {
    if (!r.ok()) {
      out.outputs.emplace_back();
      ++out.problems["error"];
      continue;
    }
    std::string o = r->output;
    // One segment per line: a newline inside an output would shift every later line.
    for (char& c : o)
      if (c == '\n' || c == '\r') c = ' ';
    out.outputs.push_back(std::move(o));
    out.n_output_tokens += r->n_output_tokens;
    std::map<std::string, bool> seen;
    for (const Problem& p : r->problems)
      if (!seen[p.code]) {
        seen[p.code] = true;
        ++out.problems[p.code];
      }
  }
  return out;
}

// Teacher forcing: the prompt the translator would send, then the reference's tokens and EOS; both
// models' next-token distributions at every reference position.
Status teacher_force(Translator& a, Translator& b, const std::string& src, const std::string& ref, const Language* from,
                     const Language* to, ThreadPool& pool, eval::FidelityAccum* acc) {
  PromptRequest req;
  req.family = a.family();
  req.from = from;
  req.to = to;
  req.source = src;
  auto prompt = render_prompt(req);
  if (!prompt.ok()) return prompt.status();
  auto ids = a.tokenizer().encode_chat({{"user", prompt->text}});
  if (!ids.ok()) return ids.status();
  auto ids_b = b.tokenizer().encode_chat({{"user", prompt->text}});
  std::vector<int32_t> tgt = a.tokenizer().encode(ref);
  if (!ids_b.ok() || *ids_b != *ids || b.tokenizer().encode(ref) != tgt)
    return invalid_argument("--compare: the two models tokenize differently; fidelity needs the same vocabulary");
  if (auto eos = a.tokenizer().eos_id()) tgt.push_back(*eos);
  const int64_t np = static_cast<int64_t>(ids->size());
  std::vector<int32_t> all = *ids;
  all.insert(all.end(), tgt.begin(), tgt.end());
  const int64_t n = static_cast<int64_t>(all.size());
  const int64_t nv = a.model().hparams().n_vocab;
  if (b.model().hparams().n_vocab != nv)
    return invalid_argument("--compare: the models' vocabularies differ (" + std::to_string(nv) + " vs " +
                            std::to_string(b.model().hparams().n_vocab) + " tokens)");
  std::vector<float> la(static_cast<size_t>(n * nv)), lb(la.size());
  {
    Session s(a.model(), n, KvType::kF32);
    if (Status st = s.forward(all.data(), n, pool, la.data(), true); !st.ok()) return st;
  }
  {
    Session s(b.model(), n, KvType::kF32);
    if (Status st = s.forward(all.data(), n, pool, lb.data(), true); !st.ok()) return st;
  }
  for (int64_t t = np - 1; t < n - 1; ++t) acc->add(la.data() + t * nv, lb.data() + t * nv, nv);
  return Status();
}

uint64_t file_size(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

Result<std::unique_ptr<Translator>> open_translator(const std::string& path, const RunArgs& a) {
  EngineOptions eo;
  eo.n_threads = a.threads;
  eo.max_seqs = a.batch;
  auto tr = Translator::open(path, eo);
  if (!tr.ok()) return tr.status();
  (*tr)->set_max_batch(a.batch);
  if (!a.prompt.empty()) {
    PromptFamily f;
    if (!parse_prompt_family(a.prompt, &f)) return invalid_argument("--prompt must be hy-mt1.5 or hy-mt2");
    (*tr)->set_family(f);
  }
  return tr;
}

// The folder of an output path must be writable before the (long) run starts.
Status check_writable(const std::string& path) {
  if (path.empty()) return Status();
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (access(dir.c_str(), W_OK) != 0) return io_error(path + ": cannot write to the folder '" + dir + "'");
  return Status();
}

int run_eval(const RunArgs& a) {
  if (a.pairs.empty() && a.instruct.empty()) return report(invalid_argument("--pairs (or --instruct) is required"));
  if (!a.pairs.empty() && a.data.empty()) return report(invalid_argument("--data DIR is required with --pairs"));
  if (a.threads < 1 || a.batch < 1) return report(invalid_argument("--threads and --batch must be at least 1"));
  if (!a.plot.empty()) {
    const bool svg = a.plot.size() > 4 && a.plot.compare(a.plot.size() - 4, 4, ".svg") == 0;
    if (!svg)
      return report(
          invalid_argument("--plot: only SVG is written (name the file *.svg); convert it to PNG with any "
                           "SVG tool, e.g. rsvg-convert"));
  }
  std::string base = a.output;
  for (const char* ext : {".md", ".json"})
    if (base.size() > std::strlen(ext) && base.compare(base.size() - std::strlen(ext), std::strlen(ext), ext) == 0)
      base.resize(base.size() - std::strlen(ext));
  for (const std::string& p : {base.empty() ? std::string() : base + ".md", a.plot})
    if (Status st = check_writable(p); !st.ok()) return report(st);

  // Directions and their files, all checked before any model is loaded.
  struct Dir {
    const Language *from, *to;
    std::vector<std::string> src, ref;
  };
  std::vector<Dir> dirs;
  std::stringstream ss(a.pairs);
  std::string pair;
  while (std::getline(ss, pair, ',')) {
    if (pair.empty()) continue;
    size_t dash = std::string::npos;
    // "en-zh", "zh-Hant-en", "en-zh-Hant": split at the dash that leaves two known languages.
    for (size_t p = pair.find('-'); p != std::string::npos; p = pair.find('-', p + 1))
      if (find_language(pair.substr(0, p)) && find_language(pair.substr(p + 1))) {
        dash = p;
        break;
      }
    if (dash == std::string::npos)
      return report(invalid_argument("--pairs: '" + pair + "' is not SRC-TGT with languages from `hymt languages` (" +
                                     language_code_list() + ")"));
    Dir d{find_language(pair.substr(0, dash)), find_language(pair.substr(dash + 1)), {}, {}};
    if (d.from == d.to) return report(invalid_argument("--pairs: '" + pair + "' translates a language into itself"));
    auto fs = lang_file(a.data, *d.from);
    if (!fs.ok()) return report(fs.status());
    auto ft = lang_file(a.data, *d.to);
    if (!ft.ok()) return report(ft.status());
    auto s = eval::read_lines(*fs);
    if (!s.ok()) return report(s.status());
    auto r = eval::read_lines(*ft);
    if (!r.ok()) return report(r.status());
    if (s->empty()) return report(invalid_argument(*fs + " is empty"));
    if (s->size() != r->size())
      return report(invalid_argument(*fs + " has " + std::to_string(s->size()) + " lines but " + *ft + " has " +
                                     std::to_string(r->size()) + "; the files must be line-aligned"));
    d.src = std::move(s).value();
    d.ref = std::move(r).value();
    if (a.limit > 0 && d.src.size() > a.limit) {
      d.src.resize(a.limit);
      d.ref.resize(a.limit);
    }
    // Scoring refuses empty references; a test set with a blank line is malformed for it.
    for (size_t i = 0; i < d.ref.size(); ++i)
      if (d.ref[i].empty()) return report(invalid_argument(*ft + ":" + std::to_string(i + 1) + ": empty reference"));
    auto probe = make_metrics(a.mf, d.to->code, false);
    if (!probe.ok()) {
      if (a.mf.tokenize.empty() && probe.status().code() == StatusCode::kUnsupported) {
        // ja/ko: sacreBLEU's MeCab tokenizers are not available; say so and use char for BLEU.
        if (!a.quiet)
          std::fprintf(stderr,
                       "hymt: %s: BLEU with --tokenize char (ja-mecab/ko-mecab are not available; "
                       "docs/eval.md)\n",
                       pair.c_str());
      } else {
        return report(probe.status());
      }
    }
    dirs.push_back(std::move(d));
  }

  std::string model = a.model;
  if (model.empty()) {
    model = default_model();
    if (model.empty() || access(model.c_str(), R_OK) != 0)
      return report(not_found("no --model given and the bundled demo model is missing; pass --model"));
    if (!a.quiet) std::fprintf(stderr, "hymt: %s\n", kDemoModelNotice);
  }
  for (const std::string& m : {model, a.compare})
    if (Status st = check_model_path(m); !st.ok()) return report(st);
  auto tr = open_translator(model, a);
  if (!tr.ok()) return report(tr.status());
  std::unique_ptr<Translator> tr2;
  if (!a.compare.empty()) {
    auto t2 = open_translator(a.compare, a);
    if (!t2.ok()) return report(t2.status().with_context("--compare"));
    tr2 = std::move(t2).value();
  }
  RunReport rep;
  rep.model = model;
  rep.model_bytes = file_size(model);
  rep.model2 = a.compare;
  rep.model2_bytes = a.compare.empty() ? 0 : file_size(a.compare);
  rep.data = a.data;
  rep.limit = a.limit;
  Progress bar(!a.quiet && isatty(STDERR_FILENO));
  ThreadPool pool(a.threads);

  for (const Dir& d : dirs) {
    MetricFlags mf = a.mf;
    if (mf.tokenize.empty() && !eval::tokenizer_available(eval::default_tokenizer_for(d.to->code), nullptr))
      mf.tokenize = "char";
    auto metrics = make_metrics(mf, d.to->code, false);
    if (!metrics.ok()) return report(metrics.status());
    const std::string label = d.from->code + "-" + d.to->code;
    DirectionReport dr;
    dr.src = d.from->code;
    dr.tgt = d.to->code;
    dr.n_segments = d.src.size();
    Translated t1 = translate_all(*tr.value(), d.src, d.from, d.to, bar, label);
    auto score_all = [&](const std::vector<std::string>& hyps, const std::vector<std::vector<std::string>>& refs,
                         std::vector<DirectionReport::Score>* out) -> Status {
      for (const auto& m : *metrics) {
        int nrefs = 1;
        auto st = eval::corpus_stats(*m.metric, hyps, refs, &nrefs);
        if (!st.ok()) return st.status();
        const auto sc = m.metric->score_from_stats(eval::sum_stats(*m.metric, *st));
        out->push_back({sc.name, m.metric->signature(nrefs), sc.score});
      }
      return Status();
    };
    if (Status st = score_all(t1.outputs, {d.ref}, &dr.scores); !st.ok()) return report(st);
    dr.seconds = t1.seconds;
    dr.n_output_tokens = t1.n_output_tokens;
    dr.sentences_per_s = t1.seconds > 0 ? static_cast<double>(d.src.size()) / t1.seconds : 0;
    dr.tokens_per_s = t1.seconds > 0 ? static_cast<double>(t1.n_output_tokens) / t1.seconds : 0;
    for (const auto& [code, n] : t1.problems) dr.problems.emplace_back(code, n);
    if (tr2) {
      Translated t2 = translate_all(*tr2, d.src, d.from, d.to, bar, label + " (compare)");
      if (Status st = score_all(t2.outputs, {d.ref}, &dr.scores2); !st.ok()) return report(st);
      size_t same = 0;
      for (size_t i = 0; i < t1.outputs.size(); ++i) same += t1.outputs[i] == t2.outputs[i];
      dr.greedy_exact = static_cast<double>(same) / static_cast<double>(t1.outputs.size());
      // chrF between the outputs: the second model's against the first model's. Empty first-model
      // outputs have no reference; they are left out (counted as disagreement by greedy_exact).
      std::vector<std::string> h2, r1;
      for (size_t i = 0; i < t1.outputs.size(); ++i)
        if (!t1.outputs[i].empty()) {
          h2.push_back(t2.outputs[i]);
          r1.push_back(t1.outputs[i]);
        }
      if (!h2.empty()) {
        eval::Chrf chrf(eval::ChrfOptions{});
        auto st = eval::corpus_stats(chrf, h2, {r1}, nullptr);
        if (st.ok()) dr.chrf_between = chrf.score_from_stats(eval::sum_stats(chrf, *st)).score;
      }
      eval::FidelityAccum acc;
      for (size_t i = 0; i < d.src.size(); ++i) {
        bar.update(label + " (teacher forcing)", i + 1, d.src.size());
        if (Status st = teacher_force(*tr.value(), *tr2, d.src[i], d.ref[i], d.from, d.to, pool, &acc); !st.ok())
          return report(st);
      }
      dr.compared = true;
      dr.kl = acc.mean_kl();
      dr.top1 = acc.top1();
      dr.n_positions = acc.n_positions;
    }
    bar.finish();
    rep.directions.push_back(std::move(dr));
  }
  if (!a.instruct.empty()) {
    auto ins = run_instruct(a.instruct, *tr.value(), a.quiet);
    if (!ins.ok()) return report(ins.status());
    rep.instruct = std::move(ins).value();
  }
  bar.finish();

  const std::string js = report_json(rep).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (!base.empty()) {
    const std::string md = report_markdown(rep);
    if (Status st = write_file_atomic(base + ".md", md.data(), md.size()); !st.ok()) return report(st);
    if (Status st = write_file_atomic(base + ".json", js.data(), js.size()); !st.ok()) return report(st);
  }
  if (!a.plot.empty()) {
    const std::string svg = report_svg(rep);
    if (Status st = write_file_atomic(a.plot, svg.data(), svg.size()); !st.ok()) return report(st);
  }
  const std::string out = a.json ? js : report_table(rep);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : report(io_error("cannot write to stdout"));
}

}  // namespace

void register_eval_run(CLI::App& ev, int* exit_code) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* c = ev.add_subcommand("run", "Translate parallel test sets with a model and score them");
  c->add_option("--model,-m", a->model, "GGUF model (default: $HYMT_MODEL or the bundled demo model)");
  c->add_option("--data", a->data, "Folder of line-aligned files: FLORES-200 (devtest/eng_Latn.devtest) or <lang>.txt");
  c->add_option("--pairs", a->pairs, "Comma-separated directions, e.g. en-zh,zh-en,en-fr");
  c->add_option("--limit", a->limit, "First N segments of each direction (default: all)");
  c->add_option("--prompt", a->prompt, "Prompt family: hy-mt1.5 or hy-mt2 (default: from the model file)");
  c->add_option("--metrics", a->mf.metrics, "Comma-separated: bleu, chrf, chrf++, ter (default bleu,chrf)");
  c->add_option("--tokenize", a->mf.tokenize, "BLEU tokenizer (default: the target's, as sacreBLEU)");
  c->add_option("--compare", a->compare, "A second model file: its scores and its fidelity to --model");
  c->add_option("--instruct", a->instruct, "JSONL instruction-following set (docs/eval.md)");
  c->add_option("--plot", a->plot, "Write an SVG chart of the scores (and score against file size)");
  c->add_option("-o,--output", a->output, "Write REPORT.md and REPORT.json (atomically)");
  c->add_flag("--json", a->json, "Print the JSON report instead of the table");
  add_threads_option(c, &a->threads, "--threads");
  c->add_option("--batch", a->batch, "Sequences decoded together (default 8)");
  c->add_flag("-q,--quiet", a->quiet, "No notices or progress");
  c->callback([a, exit_code] { *exit_code = run_eval(*a); });
}

}  // namespace hymt::cli
