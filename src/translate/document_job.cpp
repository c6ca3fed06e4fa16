// document_job.cpp: the document translation driver (see document_job.h).
#include "translate/document_job.h"

#include <algorithm>
#include <deque>

#include "translate/documents/text_util.h"
#include "translate/segment.h"

namespace hymt {

namespace {

struct Attempt {
  std::string output;
  std::vector<SegmentResult> segments;
  Status status;
};

// Source pieces of a unit: one, or its sentences packed under the token budget.
std::vector<std::string> pieces_of(const doc::Unit& u, const JobOptions& opt, const CountTokensFn& count) {
  if (!u.splittable || opt.segment_tokens == 0 || count(u.text) <= opt.segment_tokens) return {u.text};
  std::vector<std::string> packed = pack_segments(split_sentences(u.text, opt.tmpl.from), opt.segment_tokens, count);
  return packed.empty() ? std::vector<std::string>{u.text} : packed;
}

class RollingContext {
 public:
  explicit RollingContext(const JobOptions& o)
      : max_n_(static_cast<size_t>(std::max(0, o.context_segments))), max_bytes_(o.context_bytes) {}
  void push(const std::string& s) {
    if (max_n_ == 0) return;
    recent_.push_back(s);
    while (recent_.size() > max_n_) recent_.pop_front();
  }
  // The preceding segments, newest kept first when the byte limit bites.
  std::string text() const {
    std::string r;
    size_t bytes = 0;
    size_t first = recent_.size();
    while (first > 0 && bytes + recent_[first - 1].size() + 1 <= max_bytes_) bytes += recent_[--first].size() + 1;
    for (size_t k = first; k < recent_.size(); ++k) r += (r.empty() ? "" : "\n") + recent_[k];
    return r;
  }

 private:
  size_t max_n_, max_bytes_;
  std::deque<std::string> recent_;
};

std::string with_context(const std::string& base, const std::string& rolling) {
  if (rolling.empty()) return base;
  if (base.empty()) return rolling;
  return base + "\n" + rolling;
}

Attempt run_pieces(const std::vector<std::string>& pieces, const TranslateFn& translate, TranslateOptions o,
                   const RollingContext* ctx, RollingContext* local) {
  Attempt a;
  const std::string base_context = o.context;
  for (const std::string& piece : pieces) {
    size_t b = 0, e = piece.size();
    doc::trim_range(piece, &b, &e);
    if (b == e) {  // whitespace between pieces is kept as it is
      a.output += piece;
      continue;
    }
    const std::string core = piece.substr(b, e - b);
    if (ctx) o.context = with_context(base_context, local->text());
    if (o.on_text && b > 0) o.on_text(piece.substr(0, b));
    auto r = translate(core, o);
    if (!r.ok()) {
      a.status = r.status();
      return a;
    }
    std::string out = r->output;
    size_t ob = 0, oe = out.size();
    doc::trim_range(out, &ob, &oe);
    a.output += piece.substr(0, b) + out.substr(ob, oe - ob) + piece.substr(e);
    if (o.on_text && e < piece.size()) o.on_text(piece.substr(e));
    if (ctx) local->push(core);
    a.segments.push_back(std::move(r).value());
  }
  return a;
}

}  // namespace

Result<JobResult> translate_document(const doc::Document& d, const TranslateFn& translate,
                                     const CountTokensFn& count_tokens, const JobOptions& opt) {
  JobResult jr;
  const auto& units = d.units();
  std::vector<std::string> outputs(units.size());
  RollingContext context(opt);
  for (size_t i = 0; i < units.size(); ++i) {
    const doc::Unit& u = units[i];
    const std::vector<std::string> pieces = pieces_of(u, opt, count_tokens);
    const bool use_context = !u.isolated && opt.context_segments > 0;
    RollingContext local = context;
    Attempt a = run_pieces(pieces, translate, opt.tmpl, use_context ? &context : nullptr, &local);
    if (!a.status.ok()) return a.status.with_context(u.where);
    // --no-checks turns the document's checks off too (render() still keeps the structure).
    std::vector<doc::Issue> issues = opt.tmpl.checks ? d.check(i, a.output) : std::vector<doc::Issue>();
    UnitResult ur;
    ur.where = u.where;
    ur.n_pieces = pieces.size();
    double prefill = 0, decode = 0;
    for (const SegmentResult& s : a.segments) prefill += s.prefill_ms, decode += s.decode_ms;
    // Streaming shows the first attempt as it is made, so a streamed unit is not retried here (the
    // translator still retries its own checks and re-streams through on_retry).
    if (!issues.empty() && !opt.tmpl.on_text && opt.tmpl.retry) {
      ur.retried = true;
      TranslateOptions strict = opt.tmpl;
      // Without the rolling context (it can leak into the output and merge cues; --context stays);
      // a greedy rerun of the same prompt would reproduce the same text, so greedy decoding gets a
      // repetition penalty.
      if (strict.sampling.greedy())
        strict.sampling.repetition_penalty = std::max(strict.sampling.repetition_penalty, 1.15f);
      Attempt b = run_pieces(pieces, translate, strict, nullptr, nullptr);
      if (!b.status.ok()) return b.status.with_context(u.where);
      for (const SegmentResult& s : b.segments) prefill += s.prefill_ms, decode += s.decode_ms;
      std::vector<doc::Issue> issues_b = d.check(i, b.output);
      auto fatal = [](const std::vector<doc::Issue>& v) {
        return std::count_if(v.begin(), v.end(), [](const doc::Issue& x) { return x.fatal; });
      };
      if (fatal(issues_b) < fatal(issues) || (fatal(issues_b) == fatal(issues) && issues_b.size() <= issues.size())) {
        a = std::move(b);
        issues = std::move(issues_b);
      }
    }
    std::string out = a.output;
    double logprob_sum = 0;
    for (const SegmentResult& s : a.segments) {
      ur.n_prompt_tokens += s.n_prompt_tokens;
      ur.n_output_tokens += s.n_output_tokens;
      logprob_sum += s.mean_logprob * static_cast<double>(s.n_output_tokens);
      for (const Problem& p : s.problems) ur.problems.push_back(p);
    }
    bool fatal = false;
    for (const doc::Issue& is : issues) {
      fatal |= is.fatal;
      // The translator's own checks may have found the same thing (an empty output): say it once.
      if (std::none_of(ur.problems.begin(), ur.problems.end(), [&](const Problem& p) { return p.code == is.code; }))
        ur.problems.push_back({is.code, is.message});
    }
    if (fatal) {
      out = u.text;  // never lose data: the source stays in place of an unusable translation
      ur.kept_source = true;
      ur.problems.push_back({"kept_source", "the source text was kept"});
    }
    ur.confidence = ur.n_output_tokens > 0 ? logprob_sum / static_cast<double>(ur.n_output_tokens) : 0.0;
    ur.prefill_ms = prefill;
    ur.decode_ms = decode;
    ur.source = doc::unmask_text(u.text, u.masks);
    ur.output = doc::unmask_text(out, u.masks);
    ur.segments = std::move(a.segments);
    jr.checks_failed |= !ur.problems.empty();
    if (use_context) context = std::move(local);
    outputs[i] = std::move(out);
    jr.units.push_back(std::move(ur));
    if (opt.on_progress) opt.on_progress(i + 1, units.size());
  }
  jr.output = d.render(outputs);
  return jr;
}

Result<JobResult> translate_document(const doc::Document& d, Translator& t, const JobOptions& opt) {
  const Tokenizer& tok = t.tokenizer();
  return translate_document(
      d, [&t](const std::string& s, const TranslateOptions& o) { return t.translate(s, o); },
      [&tok](const std::string& s) { return tok.encode(s).size(); }, opt);
}

}  // namespace hymt
