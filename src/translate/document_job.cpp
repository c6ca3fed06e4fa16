// document_job.cpp: the document translation driver (see document_job.h).
#include "translate/document_job.h"

#include <algorithm>
#include <deque>

#include "translate/documents/text_util.h"
#include "translate/segment.h"

namespace hymt {

namespace {

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

// One piece of a unit: the text around its trimmed core is kept as it is; a blank piece has no
// request (request < 0).
struct Piece {
  std::string lead, core, trail;
  long request = -1;
};

// A unit's translation from its pieces' results.
struct Assembly {
  std::string output;
  std::vector<SegmentResult> segments;
  Status status;
};

// Plans the requests of the given units (appended to `items`): with `use_rolling`, each piece's
// context is the preceding source pieces of the non-isolated units before it.
std::vector<std::vector<Piece>> plan(const doc::Document& d, const std::vector<size_t>& units,
                                     const std::vector<std::vector<std::string>>& texts, const TranslateOptions& tmpl,
                                     const JobOptions& opt, bool use_rolling, std::vector<BatchItem>* items) {
  std::vector<std::vector<Piece>> out;
  RollingContext context(opt);
  for (size_t ui : units) {
    const doc::Unit& u = d.units()[ui];
    const bool ctx = use_rolling && !u.isolated && opt.context_segments > 0;
    std::vector<Piece> ps;
    for (const std::string& text : texts[ui]) {
      size_t b = 0, e = text.size();
      doc::trim_range(text, &b, &e);
      Piece p;
      if (b == e) {  // whitespace between pieces is kept as it is
        p.lead = text;
        ps.push_back(std::move(p));
        continue;
      }
      p.lead = text.substr(0, b);
      p.core = text.substr(b, e - b);
      p.trail = text.substr(e);
      BatchItem it{p.core, tmpl};
      if (ctx) it.opt.context = with_context(tmpl.context, context.text());
      // The context is what the user wrote: placeholders restored, never the mask tokens ({1})
      // that stand for them in this piece only.
      if (ctx) context.push(doc::unmask_text(p.core, u.masks));
      p.request = static_cast<long>(items->size());
      items->push_back(std::move(it));
      ps.push_back(std::move(p));
    }
    out.push_back(std::move(ps));
  }
  return out;
}

Assembly assemble(const std::vector<Piece>& ps, std::vector<Result<SegmentResult>>& results) {
  Assembly a;
  for (const Piece& p : ps) {
    if (p.request < 0) {
      a.output += p.lead;
      continue;
    }
    Result<SegmentResult>& r = results[static_cast<size_t>(p.request)];
    if (!r.ok()) {
      a.status = r.status();
      return a;
    }
    const std::string& out = r->output;
    size_t ob = 0, oe = out.size();
    doc::trim_range(out, &ob, &oe);
    a.output += p.lead + out.substr(ob, oe - ob) + p.trail;
    a.segments.push_back(std::move(r).value());
  }
  return a;
}

// Runs the requests: as one batch, or (streaming) one at a time in order with the text between
// pieces streamed too. on_item(i) as each request is final.
std::vector<Result<SegmentResult>> run_requests(const BatchTranslateFn& translate, const std::vector<BatchItem>& items,
                                                const std::vector<std::vector<Piece>>& pieces,
                                                const Translator::ItemDone& on_item) {
  if (items.empty()) return {};
  const auto& on_text = items[0].opt.on_text;
  if (!on_text) return translate(items, on_item);
  std::vector<Result<SegmentResult>> out;
  for (const auto& ps : pieces)
    for (const Piece& p : ps) {
      if (!p.lead.empty()) on_text(p.lead);
      if (p.request < 0) continue;
      std::vector<Result<SegmentResult>> one = translate({items[static_cast<size_t>(p.request)]}, nullptr);
      out.push_back(std::move(one[0]));
      if (on_item) on_item(static_cast<size_t>(p.request), out.back());
      if (!out.back().ok()) {  // stop at the first error; the rest are never asked for
        const Status err = out.back().status();
        while (out.size() < items.size()) out.emplace_back(err);
        return out;
      }
      if (!p.trail.empty()) on_text(p.trail);
    }
  return out;
}

}  // namespace

Result<JobResult> translate_document(const doc::Document& d, const BatchTranslateFn& translate,
                                     const CountTokensFn& count_tokens, const JobOptions& opt) {
  JobResult jr;
  const auto& units = d.units();
  std::vector<std::vector<std::string>> texts(units.size());
  std::vector<size_t> all(units.size());
  for (size_t i = 0; i < units.size(); ++i) texts[i] = pieces_of(units[i], opt, count_tokens), all[i] = i;

  // First pass: every piece of every unit in one batch; progress counts finished units.
  std::vector<BatchItem> items;
  const std::vector<std::vector<Piece>> pieces = plan(d, all, texts, opt.tmpl, opt, true, &items);
  std::vector<size_t> unit_of(items.size()), left(units.size(), 0);
  for (size_t i = 0; i < units.size(); ++i)
    for (const Piece& p : pieces[i])
      if (p.request >= 0) unit_of[static_cast<size_t>(p.request)] = i, ++left[i];
  size_t units_done = 0;
  std::vector<std::string> early(opt.on_unit ? items.size() : 0);  // first outputs, for on_unit
  std::vector<bool> early_failed(units.size(), false);
  auto progress = [&](size_t unit) {
    if (opt.on_unit && !early_failed[unit]) {
      std::string out;
      for (const Piece& p : pieces[unit]) {
        if (p.request < 0) {
          out += p.lead;
          continue;
        }
        const std::string& o = early[static_cast<size_t>(p.request)];
        size_t ob = 0, oe = o.size();
        doc::trim_range(o, &ob, &oe);
        out += p.lead + o.substr(ob, oe - ob) + p.trail;
      }
      opt.on_unit(unit, doc::unmask_text(out, units[unit].masks));
    }
    if (opt.on_progress) opt.on_progress(++units_done, units.size());
  };
  for (size_t i = 0; i < units.size(); ++i)
    if (left[i] == 0) progress(i);
  std::vector<Result<SegmentResult>> results =
      run_requests(translate, items, pieces, [&](size_t r, const Result<SegmentResult>& res) {
        const size_t u = unit_of[r];
        if (!res.ok())
          early_failed[u] = true;
        else if (opt.on_unit)
          early[r] = res->output;
        if (--left[u] == 0) progress(u);
      });

  std::vector<Assembly> first(units.size());
  std::vector<std::vector<doc::Issue>> issues(units.size());
  std::vector<size_t> failing;
  for (size_t i = 0; i < units.size(); ++i) {
    first[i] = assemble(pieces[i], results);
    if (!first[i].status.ok()) return first[i].status.with_context(units[i].where);
    // --no-checks turns the document's checks off too (render() still keeps the structure).
    if (opt.tmpl.checks) issues[i] = d.check(i, first[i].output);
    // Streaming shows the first attempt as it is made, so a streamed unit is not retried here (the
    // translator still retries its own checks and re-streams through on_retry).
    if (!issues[i].empty() && !opt.tmpl.on_text && opt.tmpl.retry) failing.push_back(i);
  }

  // Retry pass, one batch: without the rolling context (it can leak into the output and merge
  // cues; --context stays); a greedy rerun of the same prompt would reproduce the same text, so
  // greedy decoding gets a repetition penalty.
  std::vector<Assembly> second(units.size());
  std::vector<std::vector<doc::Issue>> issues2(units.size());
  std::vector<bool> retried(units.size(), false);
  for (size_t i : failing) retried[i] = true;
  if (!failing.empty()) {
    TranslateOptions strict = opt.tmpl;
    if (strict.sampling.greedy())
      strict.sampling.repetition_penalty = std::max(strict.sampling.repetition_penalty, 1.15f);
    std::vector<BatchItem> items2;
    const std::vector<std::vector<Piece>> pieces2 = plan(d, failing, texts, strict, opt, false, &items2);
    std::vector<Result<SegmentResult>> results2 = run_requests(translate, items2, pieces2, nullptr);
    for (size_t k = 0; k < failing.size(); ++k) {
      const size_t i = failing[k];
      second[i] = assemble(pieces2[k], results2);
      if (!second[i].status.ok()) return second[i].status.with_context(units[i].where);
      issues2[i] = d.check(i, second[i].output);
    }
  }

  std::vector<std::string> outputs(units.size());
  auto fatal_count = [](const std::vector<doc::Issue>& v) {
    return std::count_if(v.begin(), v.end(), [](const doc::Issue& x) { return x.fatal; });
  };
  for (size_t i = 0; i < units.size(); ++i) {
    const doc::Unit& u = units[i];
    UnitResult ur;
    ur.where = u.where;
    ur.n_pieces = texts[i].size();
    double prefill = 0, decode = 0;
    for (const SegmentResult& s : first[i].segments) prefill += s.prefill_ms, decode += s.decode_ms;
    Assembly* a = &first[i];
    std::vector<doc::Issue>* is = &issues[i];
    if (retried[i]) {
      ur.retried = true;
      for (const SegmentResult& s : second[i].segments) prefill += s.prefill_ms, decode += s.decode_ms;
      const auto f1 = fatal_count(issues[i]), f2 = fatal_count(issues2[i]);
      if (f2 < f1 || (f2 == f1 && issues2[i].size() <= issues[i].size())) a = &second[i], is = &issues2[i];
    }
    std::string out = a->output;
    double logprob_sum = 0;
    for (const SegmentResult& s : a->segments) {
      ur.n_prompt_tokens += s.n_prompt_tokens;
      ur.n_cached_tokens += s.n_cached_tokens;
      ur.n_output_tokens += s.n_output_tokens;
      logprob_sum += s.mean_logprob * static_cast<double>(s.n_output_tokens);
      // Messages name the user's placeholders ({name}), not the mask tokens the model saw ({1}).
      for (const Problem& p : s.problems) ur.problems.push_back({p.code, doc::unmask_text(p.message, u.masks)});
    }
    bool fatal = false;
    for (const doc::Issue& x : *is) {
      fatal |= x.fatal;
      // The translator's own checks may have found the same thing (an empty output): say it once.
      if (std::none_of(ur.problems.begin(), ur.problems.end(), [&](const Problem& p) { return p.code == x.code; }))
        ur.problems.push_back({x.code, x.message});
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
    ur.segments = std::move(a->segments);
    for (SegmentResult& s : ur.segments) {
      s.source = doc::unmask_text(s.source, u.masks);
      s.output = doc::unmask_text(s.output, u.masks);
      for (Problem& p : s.problems) p.message = doc::unmask_text(p.message, u.masks);
    }
    jr.checks_failed |= !ur.problems.empty();
    outputs[i] = std::move(out);
    jr.units.push_back(std::move(ur));
  }
  jr.output = d.render(outputs);
  return jr;
}

Result<JobResult> translate_document(const doc::Document& d, const TranslateFn& translate,
                                     const CountTokensFn& count_tokens, const JobOptions& opt) {
  BatchTranslateFn batch = [&translate](const std::vector<BatchItem>& items, const Translator::ItemDone& done) {
    std::vector<Result<SegmentResult>> out;
    for (size_t i = 0; i < items.size(); ++i) {
      out.push_back(translate(items[i].text, items[i].opt));
      if (done) done(i, out.back());
    }
    return out;
  };
  return translate_document(d, batch, count_tokens, opt);
}

Result<JobResult> translate_document(const doc::Document& d, Translator& t, const JobOptions& opt) {
  const Tokenizer& tok = t.tokenizer();
  return translate_document(
      d, BatchTranslateFn([&t](const std::vector<BatchItem>& items, const Translator::ItemDone& done) {
        return t.translate_batch(items, done);
      }),
      [&tok](const std::string& s) { return tok.encode(s).size(); }, opt);
}

}  // namespace hymt
