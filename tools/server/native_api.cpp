// native_api.cpp: POST /v1/translate: everything `hymt translate` does. The request names the text
// (or a document and its format), the languages, glossary entries and keep terms, context, the
// formatted and Hy-MT2 instruction options, decoding, segmentation and checks; the answer is the
// result schema of `hymt translate --json` (translate/result_json.h) with usage and the model.
//
// The body is JSON, or multipart/form-data with the document as a file part named "file" (its
// bytes in any charset translate reads; its filename picks the format) and the other fields as
// form fields (glossary as JSON text): the web page uploads files this way.
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
  int alternatives = 0;
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
  j.alternatives = static_cast<int>(get_int(b, "alternatives", 0, 3).value_or(0));
  return j;
}

// The body as one JSON object: a multipart upload's file part becomes "document" and "filename".
json request_body(const httplib::Request& req) {
  if (!req.is_multipart_form_data()) return parse_json_object(req.body);
  json b = parse_body(req);
  if (req.has_file("file")) {
    const httplib::MultipartFormData f = req.get_file_value("file");
    if (b.contains("text") || b.contains("document")) bad_field("file", "cannot be given together with text or document");
    b["filename"] = uploaded_file_name(f);
    b["document"] = f.content;
  }
  for (const char* field : {"glossary", "keep", "preferences"}) {  // structured fields arrive as JSON text
    auto it = b.find(field);
    if (it == b.end() || !it->is_string()) continue;
    const std::string& t = it->get_ref<const std::string&>();
    const size_t first = t.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (t[first] != '{' && t[first] != '[')) continue;
    json v = json::parse(t, nullptr, false);
    if (v.is_discarded()) bad_field(field, "is not valid JSON");
    *it = std::move(v);
  }
  return b;
}

// alternatives: n other translations of the text or document, sampled beside the greedy one.
std::vector<std::string> alternatives_of(Service& svc, const NativeJob& j, const JobResult& jr, const Admission& adm,
                                         JobUsage* u) {
  if (j.alternatives <= 0) return {};
  return sample_alternatives(svc, *j.pd.doc, j.jo, jr.output, j.alternatives, adm, u);
}

json result_json(const Service& svc, const NativeJob& j, const JobResult& jr, const std::vector<std::string>& alts,
                 JobUsage u) {
  json out = document_json(jr, j.format, doc::charset_name(j.pd.charset), *j.to);
  if (j.alternatives > 0) out["alternatives"] = alts;
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
  auto job = std::make_shared<NativeJob>(parse(request_body(req)));
  // Prompt families and the vocabulary are checked before any streaming starts.
  if (auto t = Translator::create(*svc.engine()); !t.ok()) throw ApiError(500, t.status().message());
  if (!job->stream) {
    JobResult jr = run_job(svc, *job->pd.doc, job->jo, *call.admission);
    JobUsage u = job_usage(jr);
    const auto alts = alternatives_of(svc, *job, jr, *call.admission, &u);
    call.prompt_tokens = u.prompt, call.completion_tokens = u.completion, call.cached_tokens = u.cached;
    res.set_content(dump(result_json(svc, *job, jr, alts, u)), "application/json");
    return;
  }
  std::shared_ptr<Admission> adm = call.admission;
  Call* log_call = &call;  // this worker's log record: the provider runs on the same thread
  Service* s = &svc;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      // Exactly this type: httplib compresses any other text/* response for a client that accepts gzip,
      // and a compressor holds the events back until its buffer fills.
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
          JobUsage u = job_usage(jr);
          const auto alts = alternatives_of(*s, *job, jr, *adm, &u);
          log_call->prompt_tokens = u.prompt, log_call->completion_tokens = u.completion,
          log_call->cached_tokens = u.cached;
          if (!event(sink, "done", result_json(*s, *job, jr, alts, u))) return false;
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
