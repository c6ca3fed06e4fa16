// native_api.cpp: POST /v1/translate: everything `hymt translate` does. The request names the text
// (or a document and its format), the languages, glossary entries and keep terms, context, the
// formatted and Hy-MT2 instruction options, decoding, segmentation and checks; the answer is the
// result schema of `hymt translate --json` (translate/result_json.h) with usage and the model.
//
// stream: true answers with server-sent events: a one-unit text streams its translation as
// "delta" events while it is decoded ("retry" when the translator starts over after a failed
// check); a document sends a "segment" event per unit as its first translation is complete (the
// document's checks may still retry it); "done" carries the whole result, "error" a failure.
#include "native_api.h"

#include "api_error.h"
#include "translate/result_json.h"
#include "translate/translator.h"
#include "translation.h"

namespace hymt::server {

namespace {

struct NativeJob {
  ParsedDoc pd;
  JobOptions jo;
  const Language* to = nullptr;
  std::string format;
  bool stream = false;
};

std::shared_ptr<const Glossary> glossary_of(const json& b) {
  auto g = std::make_shared<Glossary>();
  if (auto it = b.find("glossary"); it != b.end() && !it->is_null()) {
    if (it->is_object()) {
      for (const auto& [src, tgt] : it->items()) {
        if (!tgt.is_string()) bad_field("glossary", "values must be strings (source term -> target term)");
        if (Status st = g->add(src, tgt.get<std::string>(), false, "glossary"); !st.ok())
          bad_field("glossary", st.message());
      }
    } else if (it->is_array()) {
      for (const json& e : *it) {
        if (!e.is_object() || !e.contains("source") || !e.contains("target") || !e["source"].is_string() ||
            !e["target"].is_string())
          bad_field("glossary", "entries must be {\"source\": \"...\", \"target\": \"...\"}");
        if (Status st = g->add(e["source"].get<std::string>(), e["target"].get<std::string>(), false, "glossary");
            !st.ok())
          bad_field("glossary", st.message());
      }
    } else {
      bad_field("glossary", "must be an object {source: target} or an array of {source, target}");
    }
  }
  if (auto keep = get_strings(b, "keep"))
    for (const std::string& k : *keep)
      if (Status st = g->add_keep(k); !st.ok()) bad_field("keep", st.message());
  if (g->empty()) return nullptr;
  return g;
}

SamplingParams sampling_of(const json& b) {
  const std::string preset = get_string(b, "sampling").value_or("greedy");
  if (preset != "greedy" && preset != "official") bad_field("sampling", "must be greedy or official");
  SamplingParams sp = preset == "official" ? SamplingParams::official() : SamplingParams{};
  read_sampling_fields(b, &sp);
  return sp;
}

NativeJob parse(const json& b) {
  NativeJob j;
  auto text = get_string(b, "text");
  auto document = get_string(b, "document");
  if (text && document) bad_field("document", "cannot be given together with text");
  if (!text && !document) bad_field("text", "is required (or document, with its format)");
  const std::string& src = text ? *text : *document;
  const char* field = text ? "text" : "document";
  if (!has_text(src)) bad_field(field, "is empty: nothing to translate");
  j.format = get_string(b, "format").value_or("");
  auto fmt = doc::detect_format(get_string(b, "filename").value_or(""), j.format);
  if (!fmt.ok()) bad_field("format", fmt.status().message());
  j.format = doc::format_name(fmt.value());
  j.pd = parse_doc(src, fmt.value(), field);

  TranslateOptions& t = j.jo.tmpl;
  std::string from = get_string(b, "source").value_or(get_string(b, "from").value_or("auto"));
  t.from = language_field(b.contains("source") ? "source" : "from", from, true);
  auto to = get_string(b, "target");
  if (!to) to = get_string(b, "to");
  if (!to) bad_field("target", "is required");
  t.to = j.to = language_field(b.contains("target") ? "target" : "to", *to, false);
  t.sampling = sampling_of(b);
  if (Status st = validate_sampling(t.sampling); !st.ok()) throw ApiError(400, st.message());
  t.glossary = glossary_of(b);
  t.context = get_string(b, "context").value_or("");
  t.formatted = get_bool(b, "formatted").value_or(false);
  t.style = get_string(b, "style").value_or("");
  if (auto p = get_strings(b, "preferences")) t.preferences = *p;
  t.delimiters = get_bool(b, "delimiters").value_or(false);
  t.structured_format = get_string(b, "structured").value_or("");
  t.checks = get_bool(b, "checks").value_or(true);
  t.retry = get_bool(b, "retry").value_or(true);
  t.max_new_tokens = get_int(b, "max_tokens", 0, 1 << 20).value_or(0);
  j.jo.segment_tokens = static_cast<size_t>(get_int(b, "segment_tokens", 0, 1 << 20).value_or(256));
  j.jo.context_segments = static_cast<int>(get_int(b, "doc_context", 0, 64).value_or(2));
  j.stream = get_bool(b, "stream").value_or(false);
  return j;
}

json result_json(const Service& svc, const NativeJob& j, const JobResult& jr) {
  json out = document_json(jr, j.format, doc::charset_name(j.pd.charset), *j.to);
  const JobUsage u = job_usage(jr);
  out["checks_failed"] = jr.checks_failed;
  out["model"] = svc.model_id;
  out["usage"] = {{"prompt_tokens", u.prompt},
                  {"completion_tokens", u.completion},
                  {"total_tokens", u.prompt + u.completion},
                  {"prompt_tokens_details", {{"cached_tokens", u.cached}}}};
  return out;
}

bool event(httplib::DataSink& sink, const char* name, const json& data) {
  const std::string s = std::string("event: ") + name + "\ndata: " + dump(data) + "\n\n";
  return sink.write(s.data(), s.size());
}

void handle_translate(Service& svc, const httplib::Request& req, httplib::Response& res, Call& call) {
  auto job = std::make_shared<NativeJob>(parse(parse_json_object(req.body)));
  // Prompt families and the vocabulary are checked before any streaming starts.
  if (auto t = Translator::create(*svc.engine()); !t.ok()) throw ApiError(500, t.status().message());
  if (!job->stream) {
    JobResult jr = run_job(svc, *job->pd.doc, job->jo, *call.admission);
    const JobUsage u = job_usage(jr);
    call.prompt_tokens = u.prompt, call.completion_tokens = u.completion, call.cached_tokens = u.cached;
    res.set_content(dump(result_json(svc, *job, jr)), "application/json");
    return;
  }
  std::shared_ptr<Admission> adm = call.admission;
  Call* log_call = &call;  // this worker's log record: the provider runs on the same thread
  Service* s = &svc;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [job, adm, log_call, s](size_t, httplib::DataSink& sink) {
        // Callbacks run in this thread (translator.h); a failed write means the client left.
        auto gone = [&] { adm->cancel()->store(true); };
        JobOptions jo = job->jo;
        const auto& units = job->pd.doc->units();
        if (units.size() == 1) {
          jo.tmpl.on_text = [&](const std::string& piece) {
            if (!event(sink, "delta", {{"index", 0}, {"text", piece}})) gone();
          };
          jo.tmpl.on_retry = [&] {
            if (!event(sink, "retry", {{"index", 0}})) gone();
          };
        } else {
          jo.on_unit = [&](size_t i, const std::string& out) {
            if (!event(sink, "segment",
                       {{"index", i}, {"total", units.size()}, {"where", units[i].where}, {"output", out}}))
              gone();
          };
        }
        try {
          JobResult jr = run_job(*s, *job->pd.doc, jo, *adm);
          const JobUsage u = job_usage(jr);
          log_call->prompt_tokens = u.prompt, log_call->completion_tokens = u.completion,
          log_call->cached_tokens = u.cached;
          if (!event(sink, "done", result_json(*s, *job, jr))) return false;
        } catch (const ApiError& e) {
          event(sink, "error", {{"error", {{"message", e.what()}, {"status", e.status()}}}});
        } catch (const std::exception& e) {
          event(sink, "error", {{"error", {{"message", e.what()}, {"status", 500}}}});
        }
        sink.done();
        return true;
      },
      [adm](bool) { adm->cancel()->store(true); });
}

}  // namespace

void add_native_routes(HttpServer& http, Service& svc) {
  Service* s = &svc;
  http.add({"POST", "/v1/translate", Dialect::kOpenAI, true, true,
            [s](const httplib::Request& q, httplib::Response& r, Call& c) { handle_translate(*s, q, r, c); }});
}

}  // namespace hymt::server
