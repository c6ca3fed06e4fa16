// capi_translate.cpp: translation and results of the C API. The flow is `hymt translate`'s: decode
// the bytes (UTF-8, UTF-16/32 with a BOM, windows-1252), parse them as a document, translate it
// with translate_document (segmentation, rolling context, batched decoding, output checks, retries,
// the source kept where no translation is usable) and render; the report is the --json schema.
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "capi_internal.h"
#include "io/file_util.h"
#include "translate/documents/charset.h"
#include "translate/documents/document.h"
#include "translate/glossary.h"
#include "translate/languages.h"
#include "translate/result_json.h"

using namespace hymt;
using capi::fail;
using capi::guarded;

namespace {

bool blank(const char* s) { return !s || !*s; }

// The options of one call from the caller's parameters; `cancel` is the call's flag, which the
// callbacks set when they ask to stop.
hymt_status job_options(const hymt_translate_params& p, int64_t n_ctx, JobOptions* jo,
                        const std::shared_ptr<std::atomic<bool>>& cancel) {
  TranslateOptions& o = jo->tmpl;
  if (blank(p.target_lang)) return fail(HYMT_ERR_INVALID_ARGUMENT, "target_lang is required");
  o.to = find_language(p.target_lang);
  if (!o.to)
    return fail(HYMT_ERR_INVALID_ARGUMENT, std::string("unknown target language '") + p.target_lang +
                                               "'; HY-MT translates into: " + language_code_list());
  if (!blank(p.source_lang) && std::string(p.source_lang) != "auto") {
    o.from = find_language(p.source_lang);
    if (!o.from)
      return fail(HYMT_ERR_INVALID_ARGUMENT,
                  std::string("unknown source language '") + p.source_lang + "'; known: auto, " + language_code_list());
  }

  const std::string preset = blank(p.sampling) ? "greedy" : p.sampling;
  if (preset != "greedy" && preset != "official")
    return fail(HYMT_ERR_INVALID_ARGUMENT, "sampling must be \"greedy\" or \"official\", got '" + preset + "'");
  SamplingParams sp = preset == "official" ? SamplingParams::official() : SamplingParams{};
  // NaN is "set" too (it is not < 0), so validate_sampling refuses it by name.
  if (!(p.temperature < 0)) sp.temperature = p.temperature;
  if (!(p.top_p < 0)) sp.top_p = p.top_p;
  if (p.top_k >= 0) sp.top_k = p.top_k;
  if (!(p.repeat_penalty < 0)) sp.repetition_penalty = p.repeat_penalty;
  if (p.seed >= 0) sp.seed = static_cast<uint64_t>(p.seed);
  sp.loop_guard = p.loop_guard != 0;
  if (Status st = validate_sampling(sp); !st.ok()) return fail(st);
  o.sampling = sp;

  if (p.n_glossary > 0 && !p.glossary) return fail(HYMT_ERR_INVALID_ARGUMENT, "glossary is NULL but n_glossary > 0");
  if (p.n_keep > 0 && !p.keep) return fail(HYMT_ERR_INVALID_ARGUMENT, "keep is NULL but n_keep > 0");
  if (p.n_glossary > 0 || p.n_keep > 0 || !blank(p.glossary_file)) {
    auto g = std::make_shared<Glossary>();
    if (!blank(p.glossary_file)) {
      auto loaded = Glossary::load(p.glossary_file);
      if (!loaded.ok()) return fail(loaded.status().with_context("glossary_file"));
      *g = std::move(loaded).value();
    }
    for (size_t i = 0; i < p.n_glossary; ++i) {
      const hymt_glossary_entry& e = p.glossary[i];
      const std::string where = "glossary[" + std::to_string(i) + "]";
      if (blank(e.source) || blank(e.target))
        return fail(HYMT_ERR_INVALID_ARGUMENT, where + ": source and target must be non-empty");
      if (Status st = g->add(e.source, e.target, false, where); !st.ok()) return fail(st);
    }
    for (size_t i = 0; i < p.n_keep; ++i) {
      if (blank(p.keep[i]))
        return fail(HYMT_ERR_INVALID_ARGUMENT, "keep[" + std::to_string(i) + "] must be a non-empty string");
      if (Status st = g->add_keep(p.keep[i]); !st.ok()) return fail(st);
    }
    o.glossary = g;
  }
  if (!blank(p.context)) {
    std::string c = p.context;  // trimmed as `--context FILE` is
    while (!c.empty() && (c.back() == '\n' || c.back() == '\r' || c.back() == ' ')) c.pop_back();
    o.context = c;
  }
  o.formatted = p.formatted != 0;
  o.checks = p.checks != 0;
  o.retry = p.retry != 0;
  if (p.max_tokens < 0) return fail(HYMT_ERR_INVALID_ARGUMENT, "max_tokens must not be negative");
  o.max_new_tokens = p.max_tokens;
  o.n_ctx = n_ctx;
  o.cancel = cancel;
  if (p.segment_tokens < 0) return fail(HYMT_ERR_INVALID_ARGUMENT, "segment_tokens must not be negative");
  if (p.doc_context < 0) return fail(HYMT_ERR_INVALID_ARGUMENT, "doc_context must not be negative");
  jo->segment_tokens = static_cast<size_t>(p.segment_tokens);
  jo->context_segments = p.doc_context;

  if (p.n_preferences > 0 && !p.preferences)
    return fail(HYMT_ERR_INVALID_ARGUMENT, "preferences is NULL but n_preferences > 0");
  for (size_t i = 0; i < p.n_preferences; ++i) {
    const char* pref = p.preferences[i];
    if (!pref || std::string(pref).find_first_not_of(" \t") == std::string::npos)
      return fail(HYMT_ERR_INVALID_ARGUMENT, "preferences[" + std::to_string(i) + "] is an empty instruction");
    o.preferences.emplace_back(pref);
  }
  if (!blank(p.style)) o.style = p.style;
  o.delimiters = p.delimiters != 0;
  if (!blank(p.structured_format)) o.structured_format = p.structured_format;

  void* user = p.user_data;
  if (p.on_text) {
    hymt_text_callback cb = p.on_text;
    // Once a callback has asked to stop, none is called again (the engine stops at its next step).
    o.on_text = [cb, user, cancel](const std::string& piece) {
      if (cancel->load()) return;
      if (cb(piece.data(), piece.size(), user) != 0) cancel->store(true);
    };
  }
  if (p.on_restart) {
    hymt_restart_callback cb = p.on_restart;
    o.on_retry = [cb, user, cancel] {
      if (cancel->load()) return;
      if (cb(user) != 0) cancel->store(true);
    };
  }
  if (p.on_segment) {
    hymt_segment_callback cb = p.on_segment;
    jo->on_unit = [cb, user, cancel](size_t i, const std::string& text) {
      if (cancel->load()) return;
      if (cb(i, text.data(), text.size(), user) != 0) cancel->store(true);
    };
  }
  return HYMT_OK;
}

// Marks the translator busy for one call (a second concurrent call fails) and installs the call's
// cancel flag for hymt_translator_cancel.
class Call {
 public:
  explicit Call(hymt_translator* t) : t_(t) {
    bool expected = false;
    entered_ = t_->busy.compare_exchange_strong(expected, true);
    if (entered_) {
      std::lock_guard<std::mutex> lock(t_->mu);
      t_->cancel = flag_;
    }
  }
  ~Call() {
    if (!entered_) return;
    {
      std::lock_guard<std::mutex> lock(t_->mu);
      t_->cancel.reset();
    }
    t_->busy.store(false);
  }
  bool entered() const { return entered_; }
  const std::shared_ptr<std::atomic<bool>>& flag() const { return flag_; }

 private:
  hymt_translator* t_;
  bool entered_ = false;
  std::shared_ptr<std::atomic<bool>> flag_ = std::make_shared<std::atomic<bool>>(false);
};

// Translates `bytes` as a document of format `f`; on success *out is the result.
hymt_status run(hymt_translator* tr, const std::string& bytes, doc::Format f, const hymt_translate_params& p,
                std::unique_ptr<hymt_result>* out) {
  Call call(tr);
  if (!call.entered())
    return fail(HYMT_ERR_BUSY, "the translator is already running a call (use one translator per thread)");
  JobOptions jo;
  if (hymt_status s = job_options(p, tr->engine->options().n_ctx, &jo, call.flag()); s != HYMT_OK) return s;

  auto dec = doc::decode_to_utf8(bytes);
  if (!dec.ok()) return fail(dec.status());
  bool has_text = false;
  for (char c : dec->utf8) has_text |= !std::isspace(static_cast<unsigned char>(c));
  if (!has_text) return fail(HYMT_ERR_INVALID_ARGUMENT, "nothing to translate: the input is empty");
  auto parsed = doc::parse_document(f, dec->utf8);
  if (!parsed.ok()) return fail(parsed.status());
  const doc::Document& d = *parsed.value();

  // The prompt set for this call only: the translator's own (from the model) is put back after it.
  struct FamilyScope {
    Translator* t;
    PromptFamily own;
    ~FamilyScope() { t->set_family(own); }
  } scope{tr->t.get(), tr->t->family()};
  if (!blank(p.prompt_family)) {
    PromptFamily f;
    if (!parse_prompt_family(p.prompt_family, &f))
      return fail(HYMT_ERR_INVALID_ARGUMENT,
                  std::string("prompt_family must be \"hy-mt1.5\" or \"hy-mt2\", got '") + p.prompt_family + "'");
    tr->t->set_family(f);
  }
  auto job = translate_document(d, *tr->t, jo);
  if (call.flag()->load()) return fail(HYMT_ERR_CANCELLED, "the translation was cancelled");
  if (!job.ok()) return fail(job.status());
  auto r = std::make_unique<hymt_result>();
  r->job = std::move(job).value();
  r->json = document_json(r->job, doc::format_name(d.format()), doc::charset_name(dec->charset), *jo.tmpl.to)
                .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
            "\n";
  *out = std::move(r);
  return HYMT_OK;
}

hymt_status read_translate_params(const hymt_translate_params* given, hymt_translate_params* p) {
  if (!given) return fail(HYMT_ERR_INVALID_ARGUMENT, "params is NULL (target_lang is required)");
  return capi::read_params(given, capi::translate_defaults(), p, "hymt_translate_params");
}

}  // namespace

hymt_translate_params hymt::capi::translate_defaults() {
  hymt_translate_params p{};
  p.struct_size = sizeof(p);
  p.temperature = -1;
  p.top_p = -1;
  p.top_k = -1;
  p.repeat_penalty = -1;
  p.seed = -1;
  p.loop_guard = 1;
  p.checks = 1;
  p.retry = 1;
  p.segment_tokens = 256;
  p.doc_context = 2;
  return p;
}

extern "C" {

hymt_status hymt_translate_params_init(hymt_translate_params* params, size_t size) {
  return guarded("hymt_translate_params_init",
                 [&] { return capi::init_params(capi::translate_defaults(), params, size); });
}

hymt_status hymt_translate(hymt_translator* translator, const char* text, size_t len,
                           const hymt_translate_params* params, hymt_result** out) {
  return guarded("hymt_translate", [&] {
    if (out) *out = nullptr;
    if (!translator || !out || (!text && len > 0))
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_translate: translator, text and out must not be NULL");
    hymt_translate_params p;
    if (hymt_status s = read_translate_params(params, &p); s != HYMT_OK) return s;
    doc::Format f = doc::Format::kText;
    if (!blank(p.format) && !doc::parse_format(p.format, &f))
      return fail(HYMT_ERR_INVALID_ARGUMENT,
                  std::string("unknown format '") + p.format + "'; known: text, srt, vtt, html, markdown, json, yaml");
    std::unique_ptr<hymt_result> r;
    if (hymt_status s = run(translator, std::string(text ? text : "", len), f, p, &r); s != HYMT_OK) return s;
    *out = r.release();
    return HYMT_OK;
  });
}

hymt_status hymt_translate_file(hymt_translator* translator, const char* input_path, const char* output_path,
                                const hymt_translate_params* params, hymt_result** out) {
  return guarded("hymt_translate_file", [&] {
    if (out) *out = nullptr;
    if (!translator || blank(input_path) || blank(output_path))
      return fail(HYMT_ERR_INVALID_ARGUMENT,
                  "hymt_translate_file: translator, input_path and output_path are required");
    hymt_translate_params p;
    if (hymt_status s = read_translate_params(params, &p); s != HYMT_OK) return s;
    auto f = doc::detect_format(input_path, blank(p.format) ? "" : p.format);
    if (!f.ok()) return fail(f.status());
    auto bytes = read_file(input_path);
    if (!bytes.ok()) return fail(bytes.status().with_context("cannot read the input"));
    std::unique_ptr<hymt_result> r;
    if (hymt_status s = run(translator, bytes.value(), f.value(), p, &r); s != HYMT_OK) return s;
    const std::string& doc = r->job.output;
    if (Status st = write_file_atomic(output_path, doc.data(), doc.size()); !st.ok()) return fail(st);
    if (out) *out = r.release();
    return HYMT_OK;
  });
}

hymt_status hymt_result_output(const hymt_result* result, const char** text, size_t* len) {
  return guarded("hymt_result_output", [&] {
    if (!result || !text)
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_result_output: result and text must not be NULL");
    *text = result->job.output.c_str();
    if (len) *len = result->job.output.size();
    return HYMT_OK;
  });
}

hymt_status hymt_result_json(const hymt_result* result, const char** json) {
  return guarded("hymt_result_json", [&] {
    if (!result || !json) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_result_json: result and json must not be NULL");
    *json = result->json.c_str();
    return HYMT_OK;
  });
}

int hymt_result_checks_failed(const hymt_result* result) { return result && result->job.checks_failed ? 1 : 0; }

size_t hymt_result_segment_count(const hymt_result* result) { return result ? result->job.units.size() : 0; }

hymt_status hymt_result_segment(const hymt_result* result, size_t i, hymt_segment* out) {
  return guarded("hymt_result_segment", [&] {
    if (!result) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_result_segment: result is NULL");
    if (i >= result->job.units.size())
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_result_segment: segment " + std::to_string(i) + " is not below " +
                                                 std::to_string(result->job.units.size()));
    const UnitResult& u = result->job.units[i];
    hymt_segment s{};
    s.struct_size = sizeof(s);
    s.where = u.where.c_str();
    s.source = u.source.c_str();
    s.output = u.output.c_str();
    s.source_lang = !u.segments.empty() && u.segments[0].from ? u.segments[0].from->code.c_str() : "";
    s.n_prompt_tokens = u.n_prompt_tokens;
    s.n_output_tokens = u.n_output_tokens;
    s.n_cached_tokens = u.n_cached_tokens;
    s.prefill_ms = u.prefill_ms;
    s.decode_ms = u.decode_ms;
    s.confidence = u.confidence;
    s.n_pieces = u.n_pieces;
    // Retried by the document's checks (u.retried) or, for any of its pieces, by the translator's.
    bool retried = u.retried;
    for (const SegmentResult& piece : u.segments) retried |= piece.retried;
    s.retried = retried ? 1 : 0;
    s.kept_source = u.kept_source ? 1 : 0;
    s.n_problems = u.problems.size();
    return capi::write_out(s, out, "hymt_result_segment");
  });
}

hymt_status hymt_result_problem(const hymt_result* result, size_t i, size_t j, const char** code,
                                const char** message) {
  return guarded("hymt_result_problem", [&] {
    if (!result || !code)
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_result_problem: result and code must not be NULL");
    if (i >= result->job.units.size() || j >= result->job.units[i].problems.size())
      return fail(HYMT_ERR_INVALID_ARGUMENT,
                  "hymt_result_problem: no problem " + std::to_string(j) + " in segment " + std::to_string(i));
    const Problem& pr = result->job.units[i].problems[j];
    *code = pr.code.c_str();
    if (message) *message = pr.message.c_str();
    return HYMT_OK;
  });
}

void hymt_result_free(hymt_result* result) {
  try {
    delete result;
  } catch (...) {}
}

}  // extern "C"
