// translation.cpp: shared pieces of the translation APIs.
#include "translation.h"

#include <algorithm>
#include <cctype>

#include "api_error.h"
#include "translate/translator.h"

namespace hymt::server {

const Language* language_field(const std::string& field, const std::string& value, bool allow_auto) {
  if (value == "auto" || value.empty()) {
    if (allow_auto) return nullptr;
    bad_field(field, value.empty() ? "is required" : "cannot be auto");
  }
  std::string v = value;
  if (v == "zt") v = "zh-Hant";  // LibreTranslate's codes for Traditional Chinese and Brazilian Portuguese
  if (v == "pb") v = "pt";
  const Language* l = find_language(v);
  if (!l) bad_field(field, "'" + value + "' is not a language HY-MT translates (GET /languages lists them)");
  return l;
}

bool has_text(const std::string& s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) return true;
  return false;
}

ParsedDoc parse_doc(const std::string& bytes, doc::Format f, const std::string& field) {
  auto dec = doc::decode_to_utf8(bytes);
  if (!dec.ok()) bad_field(field, "cannot be read: " + dec.status().message());
  auto d = doc::parse_document(f, dec->utf8);
  if (!d.ok()) bad_field(field, std::string("is not a valid ") + doc::format_name(f) + " document: " + d.status().message());
  return {std::move(d).value(), dec->charset};
}

const std::vector<std::string>& file_extensions() {
  static const std::vector<std::string> v = {".txt", ".srt", ".vtt", ".html", ".htm", ".md",
                                             ".markdown", ".json", ".yaml", ".yml"};
  return v;
}

std::string uploaded_file_name(const httplib::MultipartFormData& f) {
  std::string name = f.filename;
  if (size_t slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  std::string ext = dot == std::string::npos ? "" : name.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::find(file_extensions().begin(), file_extensions().end(), ext) == file_extensions().end())
    bad_field("file", "'" + name + "' is not a supported file format (supported: .txt .srt .vtt .html .md .json .yaml)");
  return name;
}

JobResult run_job(Service& svc, const doc::Document& d, JobOptions jo, const Admission& adm) {
  auto t = Translator::create(*svc.engine());
  if (!t.ok()) throw ApiError(500, t.status().message());
  jo.tmpl.cancel = adm.cancel();
  jo.tmpl.n_ctx = svc.opt.n_ctx;
  auto r = translate_document(d, *t.value(), jo);
  if (adm.cancel()->load()) {
    if (adm.timed_out()) throw ApiError(504, "the translation took longer than the server's --timeout", "", "timeout");
    throw ApiError(503, "the translation was cancelled (the server is shutting down or the client left)", "",
                   "cancelled");
  }
  if (!r.ok()) throw_status(r.status());
  return std::move(r).value();
}

JobUsage job_usage(const JobResult& jr) {
  JobUsage u;
  for (const UnitResult& x : jr.units) u.prompt += x.n_prompt_tokens, u.completion += x.n_output_tokens, u.cached += x.n_cached_tokens;
  return u;
}

std::vector<std::string> sample_alternatives(Service& svc, const doc::Document& d, const JobOptions& jo,
                                             const std::string& best, int n, const Admission& adm, JobUsage* usage) {
  std::vector<std::string> alts;
  for (int k = 1; k <= n; ++k) {
    JobOptions ja = jo;
    ja.on_unit = nullptr;  // the alternatives are not streamed
    ja.tmpl.on_text = nullptr;
    ja.tmpl.on_retry = nullptr;
    ja.tmpl.sampling = SamplingParams::official();
    ja.tmpl.sampling.seed = static_cast<uint64_t>(k);
    JobResult alt = run_job(svc, d, ja, adm);
    const JobUsage u = job_usage(alt);
    usage->prompt += u.prompt, usage->completion += u.completion, usage->cached += u.cached;
    if (alt.output != best && std::find(alts.begin(), alts.end(), alt.output) == alts.end())
      alts.push_back(std::move(alt.output));
  }
  return alts;
}

}  // namespace hymt::server
