// translation.cpp: shared pieces of the translation APIs.
#include "translation.h"

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

}  // namespace hymt::server
