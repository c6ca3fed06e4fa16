// libretranslate_api.cpp: LibreTranslate's API, field for field: POST /translate, POST /detect,
// GET /languages, POST /translate_file (+ GET /download_file/...), GET /frontend/settings. Bodies
// are JSON, form-encoded or multipart, as LibreTranslate accepts; errors are {"error": "..."} with
// its status codes (400 bad request, 403 API key, 429 busy, 500 translation error).
//
// Each q entry is a document (plain text keeps its lines; format "html" keeps the markup) through
// the same document job as `hymt translate`. Entries of one request are translated by at most
// --parallel threads at once, so their segments share the engine's batches. alternatives: extra
// translations sampled with the model cards' settings and seeds 1..n, duplicates dropped (so
// fewer may come back).
#include "libretranslate_api.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "api_error.h"
#include "translate/detect.h"
#include "translation.h"

namespace hymt::server {

namespace {

constexpr size_t kMaxQ = 128;  // entries per request

// LibreTranslate always names a language: text with no letters (digits, symbols) is reported as
// "en" with confidence 0, and the translator is left to decide (it passes such text through).
struct Detected {
  const Language* lang = nullptr;
  std::string code = "en";
  double confidence = 0;  // 0..100, LibreTranslate's scale
};

Detected detect(const std::string& text) {
  double c = 0;
  Detected d;
  d.lang = detect_language(text, &c);
  if (d.lang) d.code = d.lang->code, d.confidence = std::round(c * 1000.0) / 10.0;
  return d;
}

json detected_json(const Detected& d) { return {{"confidence", d.confidence}, {"language", d.code}}; }

struct Entry {
  std::string text, out;
  std::vector<std::string> alts;
  Detected det;
  JobUsage usage;
};

// One entry: its translation and alternatives.
void translate_entry(Service& svc, Entry* e, doc::Format f, const Language* from, const Language* to, int n_alt,
                     const Admission& adm) {
  if (!has_text(e->text)) {
    e->out = e->text;
    return;
  }
  if (!from) e->det = detect(e->text);
  ParsedDoc pd = parse_doc(e->text, f, "q");
  JobOptions jo;
  jo.tmpl.from = from ? from : e->det.lang;
  jo.tmpl.to = to;
  JobResult jr = run_job(svc, *pd.doc, jo, adm);
  e->out = jr.output;
  e->usage = job_usage(jr);
  e->alts = sample_alternatives(svc, *pd.doc, jo, e->out, n_alt, adm, &e->usage);
}

// Translates every entry with up to `parallel` threads; the first error wins.
void translate_entries(Service& svc, std::vector<Entry>* es, doc::Format f, const Language* from, const Language* to,
                       int n_alt, const Admission& adm) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::exception_ptr err;
  auto work = [&] {
    for (size_t i; (i = next++) < es->size();) {
      try {
        translate_entry(svc, &(*es)[i], f, from, to, n_alt, adm);
      } catch (...) {
        std::lock_guard<std::mutex> lk(mu);
        if (!err) err = std::current_exception();
        adm.cancel()->store(true);  // the others stop too
      }
    }
  };
  const size_t n = std::min<size_t>(es->size(), static_cast<size_t>(std::max(1, svc.opt.parallel)));
  std::vector<std::thread> ts;
  for (size_t k = 1; k < n; ++k) ts.emplace_back(work);
  work();
  for (auto& t : ts) t.join();
  if (err) std::rethrow_exception(err);
}

const Language* target_of(const json& b) {
  auto t = get_string(b, "target");
  if (!t) bad_field("target", "is required");
  return language_field("target", *t, false);
}

const Language* source_of(const json& b) {
  auto s = get_string(b, "source");
  if (!s) bad_field("source", "is required (a language code, or auto)");
  return language_field("source", *s, true);
}

void handle_translate(Service& svc, const httplib::Request& req, httplib::Response& res, Call& call) {
  const json b = parse_body(req);
  auto it = b.find("q");
  if (it == b.end() || it->is_null()) bad_field("q", "is required");
  const bool batch = it->is_array();
  auto qs = get_strings(b, "q");
  if (qs->size() > kMaxQ) bad_field("q", "may hold at most " + std::to_string(kMaxQ) + " texts");
  const Language* from = source_of(b);
  const Language* to = target_of(b);
  const std::string format = get_string(b, "format").value_or("text");
  if (format != "text" && format != "html") bad_field("format", "must be text or html");
  const int n_alt = static_cast<int>(get_int(b, "alternatives", 0, 3).value_or(0));
  std::vector<Entry> es(qs->size());
  for (size_t i = 0; i < es.size(); ++i) es[i].text = (*qs)[i];
  translate_entries(svc, &es, format == "html" ? doc::Format::kHtml : doc::Format::kText, from, to, n_alt,
                    *call.admission);
  json out, det = json::array(), alts = json::array(), texts = json::array();
  for (const Entry& e : es) {
    texts.push_back(e.out);
    det.push_back(detected_json(e.det));
    alts.push_back(e.alts);
    call.prompt_tokens += e.usage.prompt, call.completion_tokens += e.usage.completion, call.cached_tokens += e.usage.cached;
  }
  out["translatedText"] = batch ? texts : texts[0];
  if (!from) out["detectedLanguage"] = batch ? det : det[0];
  if (n_alt > 0) out["alternatives"] = batch ? alts : alts[0];
  res.set_content(dump(out), "application/json");
}

void handle_detect(const httplib::Request& req, httplib::Response& res) {
  const json b = parse_body(req);
  const std::string q = require_string(b, "q");
  json out = json::array();
  double c = 0;
  if (const Language* l = detect_language(q, &c))
    out.push_back({{"confidence", std::round(c * 1000.0) / 10.0}, {"language", l->code}});
  res.set_content(dump(out), "application/json");
}

void handle_languages(httplib::Response& res) {
  json codes = json::array();
  for (const Language& l : hy_languages()) codes.push_back(l.code);
  json out = json::array();
  for (const Language& l : hy_languages()) {
    json targets = json::array();
    for (const Language& t : hy_languages())
      if (t.code != l.code) targets.push_back(t.code);
    out.push_back({{"code", l.code}, {"name", l.english}, {"targets", targets}});
  }
  res.set_content(dump(out), "application/json");
}

// RFC 3986: everything but unreserved characters as %XX.
std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      o += static_cast<char>(c);
    } else {
      o += '%';
      o += hex[c >> 4];
      o += hex[c & 15];
    }
  }
  return o;
}

void handle_translate_file(Service& svc, const httplib::Request& req, httplib::Response& res, Call& call) {
  if (!req.is_multipart_form_data()) throw ApiError(400, "send the file as multipart/form-data in a field named file");
  if (!req.has_file("file") || req.get_file_value("file").filename.empty())
    bad_field("file", "is required (a multipart file part)");
  const httplib::MultipartFormData f = req.get_file_value("file");
  const json b = parse_body(req);
  const Language* from = source_of(b);
  const Language* to = target_of(b);
  const std::string name = uploaded_file_name(f);
  const size_t dot = name.find_last_of('.');
  auto fmt = doc::detect_format(name, "");
  if (!fmt.ok()) bad_field("file", fmt.status().message());
  if (!has_text(f.content)) bad_field("file", "is empty");
  ParsedDoc pd = parse_doc(f.content, fmt.value(), "file");
  JobOptions jo;
  jo.tmpl.from = from;
  jo.tmpl.to = to;
  JobResult jr = run_job(svc, *pd.doc, jo, *call.admission);
  const JobUsage u = job_usage(jr);
  call.prompt_tokens = u.prompt, call.completion_tokens = u.completion, call.cached_tokens = u.cached;
  const std::string stem = dot == std::string::npos ? name : name.substr(0, dot);
  const std::string out_name = stem + "." + to->code + (dot == std::string::npos ? "" : name.substr(dot));
  const std::string id = svc.files.put(out_name, "application/octet-stream", std::move(jr.output));
  std::string host = req.get_header_value("Host");
  if (host.empty()) host = svc.opt.host + ":" + std::to_string(req.local_port);
  res.set_content(dump({{"translatedFileUrl", "http://" + host + "/download_file/" + id + "/" +
                                                  percent_encode(out_name)}}),
                  "application/json");
}

void handle_download(Service& svc, const httplib::Request& req, httplib::Response& res) {
  const std::string rest = req.path.substr(std::string("/download_file/").size());
  const std::string id = rest.substr(0, rest.find('/'));
  auto f = svc.files.get(id);
  if (!f) throw ApiError(404, "no such file (translated files are kept for an hour)");
  std::string safe;  // the header value: no quotes or control characters
  for (char c : f->name) safe += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  res.set_header("Content-Disposition", "attachment; filename=\"" + safe + "\"");
  res.set_content(f->bytes, f->content_type);
}

void handle_settings(Service& svc, httplib::Response& res) {
  json formats = json::array();
  for (const std::string& e : file_extensions()) formats.push_back(e);
  res.set_content(dump({{"charLimit", -1},
                        {"frontendTimeout", 500},
                        {"apiKeys", !svc.opt.api_keys.empty()},
                        {"keyRequired", !svc.opt.api_keys.empty()},
                        {"suggestions", false},
                        {"filesTranslation", true},
                        {"supportedFilesFormat", formats},
                        {"maxBodyBytes", svc.opt.max_body},  // hymt's: lets a page refuse a file before sending it
                        {"language",
                         {{"source", {{"code", "auto"}, {"name", "Auto Detect"}}},
                          {"target", {{"code", "en"}, {"name", "English"}}}}}}),
                  "application/json");
}

}  // namespace

void add_libretranslate_routes(HttpServer& http, Service& svc) {
  Service* s = &svc;
  http.add({"POST", "/translate", Dialect::kLibre, true, true,
            [s](const httplib::Request& q, httplib::Response& r, Call& c) { handle_translate(*s, q, r, c); }});
  http.add({"POST", "/detect", Dialect::kLibre, false, true,
            [](const httplib::Request& q, httplib::Response& r, Call&) { handle_detect(q, r); }});
  http.add({"GET", "/languages", Dialect::kLibre, false, false,
            [](const httplib::Request&, httplib::Response& r, Call&) { handle_languages(r); }});
  http.add({"POST", "/translate_file", Dialect::kLibre, true, true,
            [s](const httplib::Request& q, httplib::Response& r, Call& c) { handle_translate_file(*s, q, r, c); }});
  http.add({"GET", "/download_file/", Dialect::kLibre, false, false,
            [s](const httplib::Request& q, httplib::Response& r, Call&) { handle_download(*s, q, r); }, true});
  http.add({"GET", "/frontend/settings", Dialect::kLibre, false, false,
            [s](const httplib::Request&, httplib::Response& r, Call&) { handle_settings(*s, r); }});
}

}  // namespace hymt::server
